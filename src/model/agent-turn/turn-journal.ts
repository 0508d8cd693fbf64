/**
 * The journal of one agent turn: what it received and did, recorded as it goes, so that an attempt
 * of the turn that runs again (an activity retry, a host crash) replays those steps instead of
 * repeating them: a recorded model response is not requested again, a recorded tool result is not
 * executed again. The durable binding keeps it in the run store; without one, nothing is recorded.
 */
import type { AssistantMessage } from '../../core/messages';
import type { TokenUsage } from '../../core/model';

/** A model response as the turn recorded it: the agent's message (call ids made unique) and usage. */
export interface RecordedResponse {
  message: AssistantMessage;
  usage: TokenUsage;
}

/** A tool result as the turn recorded it: the text the model reads and whether the tool succeeded. */
export interface RecordedToolResult {
  text: string;
  ok: boolean;
}

/**
 * Records of one turn, by position: `step` is the model call's number in the turn (1, 2, ...; 0 for
 * the response a resumed turn carries over) and `index` the call's position in that response.
 */
export interface TurnJournal {
  /** The recorded response of `step`; otherwise `request()`'s, recorded before it is returned. */
  response(step: number, request: () => Promise<RecordedResponse>): Promise<RecordedResponse>;
  /**
   * The recorded result of call `index` (id `callId`) of `step`; otherwise `run()`'s, recorded
   * before it is returned.
   */
  toolResult(
    step: number,
    index: number,
    callId: string,
    run: () => Promise<RecordedToolResult>,
  ): Promise<RecordedToolResult>;
}

/** No records: every step runs (a turn outside a durable run). */
export const UNRECORDED_TURN: TurnJournal = {
  response: (_step, request) => request(),
  toolResult: (_step, _index, _callId, run) => run(),
};
