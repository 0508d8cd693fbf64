/**
 * The offline demo model as a {@link ChatModel}: no I/O, same request, same response (ids included).
 */
import { createHash } from 'node:crypto';
import type { AssistantMessage } from '../core/messages';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatModel, GenerateOptions, ModelRequest, ModelResponse, TokenUsage } from '../core/model';
import { demoReply, handoffArguments } from './demo-script';

/** Options of {@link createDemoChatModel}. */
export interface DemoChatModelOptions {
  /**
   * With `onTextDelta`, the answer is handed on a word every this many ms, as a model writes
   * (default 25), so the demo and the chat page show answers growing with zero setup.
   */
  wordIntervalMs?: number;
}

/**
 * The chat model used when none is configured. It plays the customer-support sample (see
 * `demo-script.ts`) so the app runs with zero setup; usage counts words, so figures are non-zero.
 *
 * @example
 * ```ts
 * const model = createDemoChatModel();
 * const { message } = await model.generate({ agentName: 'triage_agent', instructions: '', tools, messages });
 * ```
 */
export function createDemoChatModel(options: DemoChatModelOptions = {}): ChatModel {
  const wordIntervalMs = options.wordIntervalMs ?? 25;
  return {
    description: 'offline demo model',
    generate: async (request: ModelRequest, call: GenerateOptions = {}): Promise<ModelResponse> => {
      const response = demoResponse(request);
      const { onTextDelta, signal } = call;
      if (onTextDelta !== undefined) {
        for (const word of response.message.text.split(/(?<=\S)(?=\s)/)) {
          if (word === '') continue;
          await sleep(wordIntervalMs, undefined, signal === undefined ? {} : { signal });
          onTextDelta(word);
        }
      }
      return response;
    },
  };
}

function demoResponse(request: ModelRequest): ModelResponse {
  // Ids derive from the request, so a replayed or retried turn gets the same ones.
  const digest = createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 16);
  const reply = demoReply(request);
  const message: AssistantMessage =
    reply.kind === 'text'
      ? { role: 'assistant', authorName: request.agentName, text: reply.text }
      : {
          role: 'assistant',
          authorName: request.agentName,
          text: '',
          toolCalls: [
            {
              id: `call_demo_${digest}`,
              name: reply.tool.name,
              arguments:
                reply.kind === 'handoff'
                  ? handoffArguments(reply.tool, reply.reason)
                  : JSON.stringify(reply.arguments),
            },
          ],
        };
  return {
    id: `demo-${digest}`,
    message,
    usage: usageOf(request, message),
    finishReason: reply.kind === 'text' ? 'stop' : 'tool_calls',
  };
}

function usageOf(request: ModelRequest, message: AssistantMessage): TokenUsage {
  const promptTexts = [
    request.instructions,
    ...request.messages.map((m) => m.text),
    ...request.tools.map((t) => `${t.name} ${t.description}`),
  ];
  const completionTexts = [message.text, ...(message.toolCalls ?? []).map((c) => `${c.name} ${c.arguments}`)];
  const promptTokens = words(promptTexts);
  const completionTokens = words(completionTexts);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, requests: 1 };
}

function words(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + (text.match(/\S+/g)?.length ?? 0), 0);
}
