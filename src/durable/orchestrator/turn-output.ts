import { agentTurnActivity, type AgentTurnOutput } from '../wire/agent-turn-activity';

/**
 * The agent-turn activity's result as the orchestrator applies it, on every replay of every later
 * episode of the generation. This build's activity returns values of its output schema (typed by
 * construction, and nothing else writes them), and the orchestrator reads their fields one by one,
 * so those are taken as they are: re-validating each past turn per episode made an episode's cost
 * grow with its position in the generation. Results of other shapes (turn summaries of builds before
 * #12, whose warnings are copied into events, and a redeployed plan, which the run pins from then
 * on) still go through the schema, which drops fields this build no longer has.
 */
export function turnOutputOf(result: unknown): AgentTurnOutput {
  if (isCurrentShape(result)) return result;
  return agentTurnActivity.output.parse(result);
}

function isCurrentShape(result: unknown): result is AgentTurnOutput {
  if (typeof result !== 'object' || result === null) return false;
  const output = result as { ok?: unknown; turn?: unknown; redeployed?: unknown; error?: unknown };
  if (output.ok === false) return typeof output.error === 'object' && output.error !== null;
  if (output.ok !== true || output.redeployed !== undefined) return false;
  const turn = output.turn as { kind?: unknown; events?: unknown } | null | undefined;
  if (typeof turn !== 'object' || turn === null) return false;
  if (turn.kind === 'terminated_before_turn') return true;
  return (turn.kind === 'completed' || turn.kind === 'awaiting_approval') && typeof turn.events === 'number';
}
