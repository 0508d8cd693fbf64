import type { WorkflowEvent } from '../../core/events';
import type { CommittedTurn, CompletedTurn, PausedTurn } from '../wire/agent-turn-activity';
import type { FinishRunInput } from '../wire/finish-run-activity';

/** The summary of a committed turn: completed, or stopped for approvals (only those commit). */
export function completedOf(turn: CommittedTurn): CompletedTurn | PausedTurn | undefined {
  const output = turn.output;
  if (!output.ok || !('events' in output.turn)) return undefined;
  return output.turn.kind === 'completed' || output.turn.kind === 'awaiting_approval'
    ? output.turn
    : undefined;
}

/**
 * The closing events after a turn that committed although the run stopped while it ran: its events
 * took the seqs from `firstSeq` on, so the closing events (but those meant only for a turn that
 * wrote nothing) follow them, renumbered without a gap.
 */
export function afterCommittedTurn(
  input: FinishRunInput,
  abandoned: NonNullable<FinishRunInput['abandonedTurn']>,
  turn: CommittedTurn,
): { events: WorkflowEvent[]; outputSeq: number } {
  const count = completedOf(turn)?.events ?? 0;
  const before = input.events.filter((event) => event.seq < abandoned.firstSeq);
  const after = input.events.filter(
    (event) => event.seq >= abandoned.firstSeq && !abandoned.unlessCommitted.includes(event.seq),
  );
  const events = [
    ...before,
    ...after.map((event, index) => ({ ...event, seq: abandoned.firstSeq + count + index })),
  ];
  return { events, outputSeq: abandoned.firstSeq + count + after.length };
}
