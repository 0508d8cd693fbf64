/**
 * Every framework the bench can run, in table order. Each entry loads its module only inside its
 * own worker process, so one framework's modules never share a heap with another's.
 *
 * durable-handoff plugs in here: add entries that create it from `./durable-handoff` (one per
 * storage, e.g. `durable-handoff-memory` and `durable-handoff-azurite`, kind `'ours'`). Ratios
 * against each peer, the targets and the ours-only figures pick them up by kind.
 */
import { BenchError } from '../bench-error';
import type { FrameworkEntry } from './framework-under-test';

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
];

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
