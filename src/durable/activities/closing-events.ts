import type { WorkflowEvent } from '../../core/events';
import type { ConversationMessage } from '../../core/messages';
import { storedJson } from '../store/entity-payload';
import { CLOSED_BY_TURN, closingEvents } from '../wire/run-closing';
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

/** A table transaction's most operations (the Table service's limit). */
const TRANSACTION_OPERATIONS = 100;

/**
 * The most JSON (UTF-16 code units) of an `output` event a turn's commit carries: far under an
 * entity's and a transaction's limits (4 MiB), next to the turn's own rows. A longer conversation is
 * closed by the finish activity, in a write of its own.
 */
const MAX_OUTPUT_JSON = 256 * 1024;

/**
 * The closing events a turn that ends the run stores in its commit (`status` at `seq`, `output` at
 * `seq + 1`), or undefined when they would not fit: `rowsBefore` is at most how many operations the
 * commit has without them (its slot, journal steps, event rows, messages); the closing adds its
 * rows and the settled preview row.
 */
export function closingInCommit(closing: {
  seq: number;
  timestamp: string;
  conversation: ConversationMessage[];
  rowsBefore: number;
}): WorkflowEvent[] | undefined {
  if (closing.rowsBefore + 3 > TRANSACTION_OPERATIONS) return undefined;
  const events = closingEvents(closing.seq, closing.timestamp, CLOSED_BY_TURN, closing.conversation);
  return storedJson(events[1]).length <= MAX_OUTPUT_JSON ? events : undefined;
}
