/**
 * The steps the run machine asks the orchestrator to take, and small pure helpers about run states.
 */
import type { ApprovalTool } from '../../core/events';
import type { AgentTurnInput } from '../wire/agent-turn-activity';
import type { FinishRunInput } from '../wire/finish-run-activity';
import type { OrchestrationInput } from '../wire/orchestration-input';
import type { SyncRunInput } from '../wire/sync-run-activity';

/** An open request for human input. */
export interface OpenRequest {
  requestId: string;
  agent: string;
  prompt: string;
  /** When the wait times out (ISO 8601). */
  deadline: string;
  /** Set for a request to approve a tool call (absent: a reply request). */
  approval?: { tool: ApprovalTool };
}

/** What the orchestrator does next. */
export type Step =
  | { kind: 'agent_turn'; input: AgentTurnInput }
  | { kind: 'wait_to_retry'; until: string }
  | { kind: 'await_reply'; request: OpenRequest; sync: SyncRunInput }
  | { kind: 'continue_as_new'; input: OrchestrationInput }
  | { kind: 'finish'; finish: FinishRunInput }
  /** The run ended and its closing events are stored (a turn stored them): nothing is left to do. */
  | { kind: 'finished' };

export { stateFor } from '../wire/run-closing';
