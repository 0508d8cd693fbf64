/**
 * LangGraph JS with `@langchain/langgraph-swarm`: one `createReactAgent` per support agent, handoff
 * tools from `createHandoffTool` (`transfer_to_<agent>`), compiled with a checkpointer. Two
 * variants: `MemorySaver` (in memory, the default `async` durability) and `SqliteSaver` on a file
 * (durable, `sync` durability: each checkpoint is on disk before the next step starts, which is
 * what a durable run promises).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { MemorySaver, type BaseCheckpointSaver } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { createHandoffTool, createSwarm } from '@langchain/langgraph-swarm';
import { ChatOpenAI } from '@langchain/openai';
import { BenchError } from '../bench-error';
import type { Scenario } from '../scenario/scenarios';
import { START_AGENT, SUPPORT_AGENTS } from '../scenario/support-agents';
import type { FrameworkUnderTest, ModelEndpoint, RunOutcome } from './framework-under-test';

/** Which checkpointer the swarm is compiled with. */
export type LangGraphCheckpointer = 'memory' | 'sqlite';

/** LangGraph's default recursion limit; a run takes 2 supersteps per agent at most. */
const RECURSION_LIMIT = 25;

/**
 * LangGraph swarm as a framework under test.
 *
 * @example
 * ```ts
 * const framework = createLangGraphSwarm('sqlite');
 * await framework.setup({ baseUrl: server.baseUrl, apiKey: 'x', model: 'scripted-model' });
 * const outcome = await framework.runOnce(CHAIN_SCENARIO);
 * ```
 */
export function createLangGraphSwarm(checkpointer: LangGraphCheckpointer): FrameworkUnderTest {
  let app: ReturnType<typeof compileSwarm> | undefined;
  let saver: BaseCheckpointSaver | undefined;
  let directory: string | undefined;
  const durability = checkpointer === 'sqlite' ? 'sync' : 'async';
  return {
    name: `langgraph-swarm-${checkpointer}`,
    description:
      checkpointer === 'sqlite'
        ? '@langchain/langgraph 1.7.3 + langgraph-swarm 1.0.4, SqliteSaver (langgraph-checkpoint-sqlite 1.0.4, file in a temp dir), durability "sync"'
        : '@langchain/langgraph 1.7.3 + langgraph-swarm 1.0.4, MemorySaver, default durability ("async")',
    async setup(endpoint: ModelEndpoint) {
      if (checkpointer === 'sqlite') {
        directory = await mkdtemp(join(tmpdir(), 'bench-langgraph-'));
        saver = SqliteSaver.fromConnString(join(directory, 'checkpoints.sqlite'));
      } else {
        saver = new MemorySaver();
      }
      app = compileSwarm(endpoint, saver);
    },
    async runOnce(scenario: Scenario): Promise<RunOutcome> {
      if (app === undefined) {
        throw new BenchError(
          'framework_failed',
          `langgraph-swarm-${checkpointer}: runOnce was called before setup.`,
        );
      }
      const state = await app.invoke(
        { messages: [{ role: 'user', content: scenario.userMessage }] },
        { configurable: { thread_id: randomUUID() }, recursionLimit: RECURSION_LIMIT, durability },
      );
      return outcomeOf(state.messages, state.activeAgent);
    },
    async teardown() {
      if (saver instanceof SqliteSaver) saver.db.close();
      if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    },
  };
}

function compileSwarm(endpoint: ModelEndpoint, checkpointer: BaseCheckpointSaver) {
  const llm = new ChatOpenAI({
    model: endpoint.model,
    apiKey: endpoint.apiKey,
    configuration: { baseURL: endpoint.baseUrl },
  });
  const agents = SUPPORT_AGENTS.map((spec) =>
    createReactAgent({
      llm,
      name: spec.name,
      prompt: spec.instructions,
      tools: spec.handoffs.map((target) => createHandoffTool({ agentName: target })),
    }),
  );
  return createSwarm({ agents, defaultActiveAgent: START_AGENT }).compile({ checkpointer });
}

function outcomeOf(messages: readonly BaseMessage[], activeAgent: string | undefined): RunOutcome {
  const answers = messages.filter((message) => AIMessage.isInstance(message));
  const last = answers.at(-1);
  return {
    finalAnswer: last === undefined ? '' : last.text,
    lastAgent: activeAgent ?? '(none)',
    agentTurns: answers.length,
  };
}
