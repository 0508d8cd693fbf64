/**
 * A scripted ChatModel for agent-turn tests: answers each call with the next scripted reply, records
 * every request, and fails on a call the script did not expect. Replies look like what the model
 * clients produce from Chat Completions payloads (unique completion id, usage per call).
 */
import type { ChatModel, ModelRequest, ModelResponse } from '../../../src/core/model';
import type { ToolCall } from '../../../src/core/messages';

/** One scripted reply: text and/or tool calls, or an error to throw. */
export type ScriptedReply = { text?: string; toolCalls?: ToolCall[] } | { error: Error };

export class ScriptedChatModel implements ChatModel {
  readonly description = 'scripted-chat-model (tests)';
  readonly requests: ModelRequest[] = [];
  private readonly script: ScriptedReply[];

  constructor(script: ScriptedReply[]) {
    this.script = [...script];
  }

  /** Replies left unused. */
  get remaining(): number {
    return this.script.length;
  }

  generate(request: ModelRequest): Promise<ModelResponse> {
    // Deep copy: the runner keeps appending to its arrays after the call.
    this.requests.push(JSON.parse(JSON.stringify(request)) as ModelRequest);
    const next = this.script.shift();
    if (next === undefined) {
      return Promise.reject(
        new Error(
          `Unexpected model call #${this.requests.length} for agent '${request.agentName}': the script is exhausted.`,
        ),
      );
    }
    if ('error' in next) return Promise.reject(next.error);
    const n = this.requests.length;
    const toolCalls = next.toolCalls ?? [];
    return Promise.resolve({
      id: `chatcmpl-scripted-${n}`,
      // The runner must set the author itself; a client does not know agent names.
      message: {
        role: 'assistant',
        authorName: 'assistant',
        text: next.text ?? '',
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
      },
      usage: { promptTokens: 10 * n, completionTokens: n, totalTokens: 11 * n, requests: 1 },
      finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
    });
  }
}
