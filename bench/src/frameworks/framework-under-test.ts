/**
 * The plug-in point of the bench: what a framework under test implements. A worker process holds
 * one framework, sets it up once against the bench model server, then runs scenarios on request;
 * the harness times each run and checks what it returns.
 */
import type { Scenario } from '../scenario/scenarios';

/** Where the framework finds the model: the bench model server. */
export interface ModelEndpoint {
  /** OpenAI base URL, e.g. `http://127.0.0.1:41234/v1`. */
  baseUrl: string;
  apiKey: string;
  /** Model name to send. */
  model: string;
}

/** What one run produced, as the framework itself reports it. The harness checks it against the scenario. */
export interface RunOutcome {
  /** The final answer of the run (the last agent's text). */
  finalAnswer: string;
  /** The agent that gave it. */
  lastAgent: string;
  /** Agent turns (model calls) the framework counted for the run. */
  agentTurns: number;
}

/**
 * A framework under test.
 *
 * @remarks
 * `setup` may load modules, build agents and start servers; it is not timed as part of any run.
 * `runOnce` must do the whole scenario (start a fresh conversation, drive it to its end, return the
 * final answer) and must not share conversation state between calls. It may be called concurrently
 * (the throughput phase starts many runs at once).
 */
export interface FrameworkUnderTest {
  /** Unique, kebab-case: what the table and latest.json call it, e.g. `openai-agents`. */
  readonly name: string;
  /** One line for the table legend and README: package versions and configuration. */
  readonly description: string;
  setup(endpoint: ModelEndpoint): Promise<void>;
  runOnce(scenario: Scenario): Promise<RunOutcome>;
  teardown(): Promise<void>;
}

/** The measured phases of a bench session. */
export type BenchPhase = 'sequential' | 'throughput';

/** How the registry names a framework and creates it (inside its worker process). */
export interface FrameworkEntry {
  readonly name: string;
  /** `peer` for the frameworks we compare against, `ours` for durable-handoff. */
  readonly kind: 'peer' | 'ours';
  /**
   * The phases it takes part in; both by default. A configuration variant that only matters under
   * load (e.g. raised concurrency limits) runs in the throughput phase only.
   */
  readonly phases?: readonly BenchPhase[];
  /**
   * Runs only when `--only` names it (not in a default run): a configuration that needs more than
   * Node (the real Durable engine needs .NET) or takes far longer.
   */
  readonly optIn?: boolean;
  /**
   * Node options its worker process starts with, when the framework is deployed with some: they are
   * part of what is measured (durable-handoff's deployment sets a heap limit:
   * `OURS_DEPLOYED_NODE_OPTIONS` in the registry). Without, Node's defaults for this machine apply.
   */
  readonly nodeOptions?: readonly string[];
  /** Loads the framework's module and creates the framework; called once, in the worker. */
  create(): Promise<FrameworkUnderTest>;
}
