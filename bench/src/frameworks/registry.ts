/**
 * Every framework the bench can run, in table order. Each entry loads its module only inside its
 * own worker process, so one framework's modules never share a heap with another's.
 *
 * durable-handoff is registered once per storage (kind `'ours'`, under the names the targets look
 * for); ratios against each peer and the targets pick them up by kind.
 */
import { BenchError } from '../bench-error';
import {
  OURS_AZURITE,
  OURS_MEMORY,
  OURS_RAISED_CONCURRENCY_NAMES,
  OURS_REAL_ENGINE,
} from '../report/targets';
import type { BenchPhase, FrameworkEntry } from './framework-under-test';

/** The durable concurrency limit of the raised-limit variants: the throughput phase's batch size. */
const RAISED_CONCURRENCY = 200;

/** The registered frameworks. */
export const FRAMEWORKS: readonly FrameworkEntry[] = [
  {
    name: 'openai-agents',
    kind: 'peer',
    create: async () => (await import('./openai-agents.js')).createOpenAiAgents(),
  },
  {
    name: 'langgraph-swarm-memory',
    kind: 'peer',
    create: async () => (await import('./langgraph-swarm.js')).createLangGraphSwarm('memory'),
  },
  {
    name: 'langgraph-swarm-sqlite',
    kind: 'peer',
    create: async () => (await import('./langgraph-swarm.js')).createLangGraphSwarm('sqlite'),
  },
  {
    name: OURS_MEMORY,
    kind: 'ours',
    create: async () => (await import('./durable-handoff.js')).createDurableHandoff('memory'),
  },
  {
    name: OURS_AZURITE,
    kind: 'ours',
    create: async () => (await import('./durable-handoff.js')).createDurableHandoff('azurite'),
  },
  // The real Durable engine (devhost/dtfx, .NET) on Azurite: sequential runs only, when named.
  {
    name: OURS_REAL_ENGINE,
    kind: 'ours',
    phases: ['sequential'],
    optIn: true,
    create: async () => (await import('./durable-handoff.js')).createDurableHandoffOnRealEngine(),
  },
  // host.json allows 10 activities and 10 orchestrator episodes at once; with 200 runs each
  // waiting 100 ms on the model, that limit alone caps a batch. These variants raise it to the
  // batch size, for the throughput phase only (sequential runs never reach the limit).
  {
    name: OURS_RAISED_CONCURRENCY_NAMES[0],
    kind: 'ours',
    phases: ['throughput'],
    create: async () =>
      (await import('./durable-handoff.js')).createDurableHandoff('memory', {
        concurrency: RAISED_CONCURRENCY,
      }),
  },
  {
    name: OURS_RAISED_CONCURRENCY_NAMES[1],
    kind: 'ours',
    phases: ['throughput'],
    create: async () =>
      (await import('./durable-handoff.js')).createDurableHandoff('azurite', {
        concurrency: RAISED_CONCURRENCY,
      }),
  },
];

/** Whether `entry` takes part in `phase`. */
export function takesPart(entry: FrameworkEntry, phase: BenchPhase): boolean {
  return entry.phases === undefined || entry.phases.includes(phase);
}

/** The entry named `name`. */
export function frameworkEntry(name: string): FrameworkEntry {
  const found = FRAMEWORKS.find((entry) => entry.name === name);
  if (found === undefined) {
    throw new BenchError(
      'invalid_option',
      `Unknown framework '${name}'. Registered frameworks: ${FRAMEWORKS.map((entry) => entry.name).join(', ')}.`,
    );
  }
  return found;
}
