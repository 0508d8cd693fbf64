/**
 * A completion as a non-streaming Chat Completions body (`object: "chat.completion"`).
 */
import type { CompletionPlan } from './completion-plan';

/** The JSON body OpenAI would send for this completion. */
export function completionBody(plan: CompletionPlan): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: plan.text ?? (plan.toolCalls.length > 0 ? null : ''),
    refusal: null,
  };
  if (plan.toolCalls.length > 0) {
    message['tool_calls'] = plan.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: plan.id,
    object: 'chat.completion',
    created: plan.created,
    model: plan.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finishReason }],
    usage: plan.usage,
  };
}
