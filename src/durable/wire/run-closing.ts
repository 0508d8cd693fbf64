/**
 * A run's closing events (`status`, then `output`) and the one ending an agent turn can store itself.
 *
 * The orchestrator ends a run with its termination condition when a completed turn that hands off
 * to no one reports the condition met (`terminate`): a verdict the turn itself reached, so the turn
 * knows, before it commits, that the run ends right after it and how. Such a turn stores the run's
 * closing events in its commit (`closedRun`), and the orchestrator then needs no finish activity.
 * Runs that end any other way (cancelled, the turn limit, an error, a reply timeout, a termination
 * found before a turn) are closed by the finish activity, as before.
 */
import type { ConversationMessage } from '../../core/messages';
import type { RunState, StopReason, WorkflowEvent } from '../../core/events';
import type { TurnDecision } from '../../core/turn-result';

/** The run state a stop reason leaves the run in. */
export function stateFor(stopReason: StopReason): RunState {
  if (stopReason === 'error') return 'failed';
  if (stopReason === 'cancelled') return 'terminated';
  return 'completed';
}

/**
 * Whether the orchestrator ends the run right after a completed turn with this decision and
 * verdict (see `RunMachine.applyTurn`: a handoff goes on whatever the verdict; else the verdict ends it).
 */
export function turnEndsRun(turn: { decision: TurnDecision; terminate: boolean }): boolean {
  return turn.decision.kind !== 'handoff' && turn.terminate;
}

/** The stop reason of a run that a turn closed. */
export const CLOSED_BY_TURN: StopReason = 'terminated_by_condition';

/**
 * The closing events of a run that stops for `stopReason`: its `status` at `seq`, its `output` (with
 * the clean conversation) at `seq + 1`, both stamped `timestamp`.
 */
export function closingEvents(
  seq: number,
  timestamp: string,
  stopReason: StopReason,
  conversation: ConversationMessage[],
): WorkflowEvent[] {
  return [
    { type: 'status', seq, timestamp, state: stateFor(stopReason), stopReason },
    { type: 'output', seq: seq + 1, timestamp, stopReason, conversation },
  ];
}
