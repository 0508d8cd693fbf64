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

/**
 * The Node options durable-handoff is deployed with: `infra/modules/function-app.bicep` sets the
 * worker's heap limit to a quarter of the instance's memory, 512 MB for the default 2048 MB
 * instances (what Node gives itself in a container of that size). Without it, on this bench's
 * machine Node derives a 4 GB limit from the machine's memory, and V8 then lets the heap grow to
 * four times what survived each full collection (#16, bench/README.md "Eighth round").
 */
export const OURS_DEPLOYED_NODE_OPTIONS: readonly string[] = ['--max-old-space-size=512'];

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
    nodeOptions: OURS_DEPLOYED_NODE_OPTIONS,
    create: async () => (await import('./durable-handoff.js')).createDurableHandoff('memory'),
  },
  {
    name: OURS_AZURITE,
    kind: 'ours',
    nodeOptions: OURS_DEPLOYED_NODE_OPTIONS,
    create: async () => (await import('./durable-handoff.js')).createDurableHandoff('azurite'),
  },
  // The real Durable engine (devhost/dtfx, .NET) on Azurite: sequential runs only, when named.
  {
    name: OURS_REAL_ENGINE,
    kind: 'ours',
    nodeOptions: OURS_DEPLOYED_NODE_OPTIONS,
    phases: ['sequential'],
    optIn: true,
    create: async () => (await import('./durable-handoff.js')).createDurableHandoffOnRealEngine(),
  },
  // The stack's floor (a minimal Durable Functions app, not durable-handoff) on the same local host:
  // a reference for src/tools/stack-floor.ts, run only when named. Same Node options as ours.
  {
    name: 'stack-floor-memory',
    kind: 'peer',
    nodeOptions: OURS_DEPLOYED_NODE_OPTIONS,
    optIn: true,
    create: async () => (await import('./stack-floor.js')).createStackFloor('memory'),
  },
  {
    name: 'stack-floor-azurite',
    kind: 'peer',
    nodeOptions: OURS_DEPLOYED_NODE_OPTIONS,
    optIn: true,
    create: async () => (await import('./stack-floor.js')).createStackFloor('azurite'),
  },
  // host.json allows 10 activities and 10 orchestrator episodes at once; with 200 runs each
  // waiting 100 ms on the model, that limit alone caps a batch. These variants raise it to the
  // batch size, for the throughput phase only (sequential runs never reach the limit).
  {
    name: OURS_RAISED_CONCURRENCY_NAMES[0],
    kind: 'ours',
    nodeOptions: OURS_DEPLOYED_NODE_OPTIONS,
    phases: ['throughput'],
    create: async () =>
      (await import('./durable-handoff.js')).createDurableHandoff('memory', {
        concurrency: RAISED_CONCURRENCY,
      }),
  },
  {
    name: OURS_RAISED_CONCURRENCY_NAMES[1],
    kind: 'ours',
    nodeOptions: OURS_DEPLOYED_NODE_OPTIONS,
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
