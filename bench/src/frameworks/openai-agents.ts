/**
 * OpenAI Agents JS (`@openai/agents`), in-memory Runner with handoffs: the peer with the lightest
 * run loop. Pinned to Chat Completions (its default is the Responses API) and with tracing off (its
 * default exporter posts every run to api.openai.com).
 */
import { Agent, OpenAIProvider, Runner, setTracingDisabled } from '@openai/agents';
import { BenchError } from '../bench-error';
import type { Scenario } from '../scenario/scenarios';
import { START_AGENT, SUPPORT_AGENTS } from '../scenario/support-agents';
import type { FrameworkUnderTest, ModelEndpoint, RunOutcome } from './framework-under-test';

/** A run never needs more turns than the longest route; 10 is the SDK's default cap. */
const MAX_TURNS = 10;

/**
 * OpenAI Agents JS as a framework under test.
 *
 * @example
 * ```ts
 * const framework = createOpenAiAgents();
 * await framework.setup({ baseUrl: server.baseUrl, apiKey: 'x', model: 'scripted-model' });
 * const outcome = await framework.runOnce(HANDOFF_SCENARIO);
 * ```
 */
export function createOpenAiAgents(): FrameworkUnderTest {
  let runner: Runner | undefined;
  let provider: OpenAIProvider | undefined;
  let start: Agent | undefined;
  return {
    name: 'openai-agents',
    description:
      '@openai/agents 0.20.0: in-memory Runner, Agent handoffs (transfer_to_*), OpenAIProvider({ useResponses: false }), tracing disabled',
    setup(endpoint: ModelEndpoint) {
      setTracingDisabled(true);
      provider = new OpenAIProvider({
        baseURL: endpoint.baseUrl,
        apiKey: endpoint.apiKey,
        useResponses: false,
      });
      runner = new Runner({ modelProvider: provider, model: endpoint.model, tracingDisabled: true });
      start = buildAgents();
      return Promise.resolve();
    },
    async runOnce(scenario: Scenario): Promise<RunOutcome> {
      if (runner === undefined || start === undefined) {
        throw new BenchError('framework_failed', 'openai-agents: runOnce was called before setup.');
      }
      const result = await runner.run(start, scenario.userMessage, { maxTurns: MAX_TURNS });
      const finalAnswer = result.finalOutput;
      return {
        finalAnswer: typeof finalAnswer === 'string' ? finalAnswer : JSON.stringify(finalAnswer),
        lastAgent: result.lastAgent?.name ?? '(none)',
        agentTurns: result.rawResponses.length,
      };
    },
    async teardown() {
      await provider?.close();
    },
  };
}

/** One Agent per support agent; handoffs are wired once every agent exists, since they hold the target agents. */
function buildAgents(): Agent {
  const agents = new Map(
    SUPPORT_AGENTS.map((spec) => [
      spec.name,
      new Agent({ name: spec.name, instructions: spec.instructions, handoffDescription: spec.description }),
    ]),
  );
  for (const spec of SUPPORT_AGENTS) {
    agents.get(spec.name)!.handoffs = spec.handoffs.map((target) => agents.get(target)!);
  }
  return agents.get(START_AGENT)!;
}
