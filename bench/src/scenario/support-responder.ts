/**
 * The one responder that plays the model for every framework under test.
 *
 * It answers from what any Chat Completions request carries, so no framework needs special
 * treatment:
 * - **who is asking**: the `x-durable-handoff-agent` header (sent by durable-handoff), else the
 *   agent whose instructions are the system prompt (the peers send no header);
 * - **which scenario**: the first user message of the conversation;
 * - **what to answer**: an agent before the end of the scenario's route calls the handoff tool to
 *   the next agent, under whatever name the framework gave it (`transfer_to_<agent>` in OpenAI
 *   Agents JS and LangGraph swarm, `handoff_to_<agent>` in durable-handoff); the last agent answers
 *   with the scenario's final answer.
 *
 * Anything else (an unknown agent, an agent off the route, a missing handoff tool) throws, which
 * the scripted server turns into an HTTP 500 and a recorded failure: the run breaks loudly.
 */
import type { ScriptReply, ScriptResponder, ScriptedRequestView } from '../../../src/testing';
import { BenchError } from '../bench-error';
import { scenarioForMessage, SCENARIOS } from './scenarios';
import { SUPPORT_AGENTS, type SupportAgent } from './support-agents';

/** How each framework names the tool that hands the conversation to `<agent>`. */
export const HANDOFF_TOOL_PREFIXES = ['transfer_to_', 'handoff_to_'] as const;

/** What the responder reads at each request, so a bench can change the latency between phases. */
export interface ResponderSettings {
  /** Milliseconds the model "thinks" before answering; 0 answers at once. */
  latencyMs(): number;
}

/**
 * The responder for the scripted model server.
 *
 * @example
 * ```ts
 * let latency = 0;
 * const server = await startScriptedModelServer({ responder: createSupportResponder({ latencyMs: () => latency }) });
 * ```
 */
export function createSupportResponder(settings: ResponderSettings): ScriptResponder {
  return (request) => {
    const reply = answer(request);
    const latencyMs = settings.latencyMs();
    return latencyMs > 0 ? { delayMs: latencyMs, then: reply } : reply;
  };
}

function answer(request: ScriptedRequestView): ScriptReply {
  const agent = callingAgent(request);
  const customerMessage = firstUserText(request);
  const scenario = scenarioForMessage(customerMessage);
  if (scenario === undefined) {
    throw new BenchError(
      'unexpected_model_call',
      `request #${request.index} from ${agent.name}: the conversation starts with ${JSON.stringify(customerMessage)}, ` +
        `which is no scenario's message. Scenario messages: ${SCENARIOS.map((s) => JSON.stringify(s.userMessage)).join(', ')}.`,
    );
  }
  const position = scenario.route.indexOf(agent.name);
  if (position < 0) {
    throw new BenchError(
      'unexpected_model_call',
      `request #${request.index}: ${agent.name} was called in scenario '${scenario.name}', whose route is ${scenario.route.join(' -> ')}.`,
    );
  }
  const next = scenario.route[position + 1];
  if (next === undefined) return { text: scenario.finalAnswer };
  const tool = HANDOFF_TOOL_PREFIXES.map((prefix) => `${prefix}${next}`).find((name) =>
    request.toolNames.includes(name),
  );
  if (tool === undefined) {
    throw new BenchError(
      'unexpected_model_call',
      `request #${request.index}: ${agent.name} must hand off to ${next} in scenario '${scenario.name}', ` +
        `but no handoff tool to it was offered. Tools offered: ${request.toolNames.join(', ') || 'none'}.`,
    );
  }
  return { toolCalls: [{ name: tool, arguments: {} }] };
}

function callingAgent(request: ScriptedRequestView): SupportAgent {
  if (request.agent !== undefined) {
    const named = SUPPORT_AGENTS.find((agent) => agent.name === request.agent);
    if (named !== undefined) return named;
    throw new BenchError(
      'unexpected_model_call',
      `request #${request.index} names agent '${request.agent}' in its header. Known agents: ${SUPPORT_AGENTS.map((a) => a.name).join(', ')}.`,
    );
  }
  const system = request.system ?? '';
  const byInstructions = SUPPORT_AGENTS.find((agent) => system.includes(agent.instructions));
  if (byInstructions !== undefined) return byInstructions;
  throw new BenchError(
    'unexpected_model_call',
    `request #${request.index} has no agent header and its system prompt matches no agent's instructions: ` +
      `${JSON.stringify(system.slice(0, 120))}.`,
  );
}

function firstUserText(request: ScriptedRequestView): string | undefined {
  const first = request.body.messages.find((message) => message.role === 'user');
  const content = first?.content;
  if (content === undefined || content === null) return undefined;
  return typeof content === 'string' ? content : content.map((part) => part.text ?? '').join('');
}
