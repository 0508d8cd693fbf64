import type { AgentTurnResult } from '../../core/turn-result';
import type { TurnSummary } from '../wire/agent-turn-activity';

/**
 * What history records of a completed turn: counts, the agents' texts, the decision and the verdict.
 * The messages themselves are in the run store.
 */
export function summarizeTurn(result: Extract<AgentTurnResult, { kind: 'completed' }>): TurnSummary {
  const texts = result.messages.flatMap((message) =>
    message.role === 'assistant' && message.text.trim() !== '' ? [message.text] : [],
  );
  return {
    kind: 'completed',
    messageCount: result.messages.length,
    texts,
    decision: result.decision,
    terminate: result.terminate,
    usage: result.usage,
    warnings: result.warnings,
  };
}
