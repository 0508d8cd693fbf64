/**
 * The stack's floor: a minimal Durable Functions app (`tests/fixtures/apps/stack-floor`, plain
 * `@azure/functions` + `durable-functions`, not durable-handoff) on the same local host, engine and
 * storage as durable-handoff's sample app. Per agent turn it pays one activity with one streamed
 * chat completion through the `openai` SDK and one Table `$batch` through `@azure/data-tables`;
 * per run an HTTP start (durable client `startNew`) and an HTTP status read (`getStatus`). It is
 * the least any Durable Functions app doing an agent turn durably pays on this host, so the bench
 * can tell the stack's cost from durable-handoff's (`src/tools/stack-floor.ts`).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { isTerminal } from '../../../dist/devhost/durable/index.js';
import { BenchError } from '../bench-error';
import {
  type BenchAppHost,
  type BenchAppHostOptions,
  type OursStorage,
  PROJECT_DIR,
  type RealEngineBenchAppHost,
  startBenchAppHost,
  startRealEngineBenchAppHost,
} from '../ours/bench-app-host';
import { benchHttpRequest } from '../ours/bench-http-client';
import { readJson } from '../ours/run-api';
import { type Scenario, SCENARIOS } from '../scenario/scenarios';
import { START_AGENT, SUPPORT_AGENTS } from '../scenario/support-agents';
import type { FrameworkUnderTest, ModelEndpoint, RunOutcome } from './framework-under-test';

/** The floor app's folder. */
export const FLOOR_APP_DIR = resolve(PROJECT_DIR, 'tests/fixtures/apps/stack-floor');

/** The longest one run may take (200 concurrent runs queue up). */
const RUN_DEADLINE_MS = 240_000;

/** `stack-floor-<storage>`. */
export function stackFloorName(storage: OursStorage): string {
  return `stack-floor-${storage}`;
}

/**
 * Characters of filler in the floor's turn record, so its `$batch` body is about as large as
 * durable-handoff's turn commit (about 6.2 KB per `handoff` turn at `c2bf8b1`, against 2.8 KB
 * without filler; `stack-floor.ts` prints both apps' storage bytes per turn).
 */
export const FLOOR_RECORD_FILL = 3300;

/**
 * Starts the floor app on the local host in this process, with the bench's agents. With
 * `stackOnly`, its turns take the model's answers from the bench's scenarios and write nothing (no
 * model call, no Table request): what the Functions and Durable stack costs alone.
 */
export function startFloorAppHost(
  storage: OursStorage,
  model: ModelEndpoint,
  label: string,
  stackOnly = false,
): Promise<BenchAppHost> {
  return startBenchAppHost(floorHostOptions(storage, model, label, stackOnly));
}

/**
 * {@link startFloorAppHost} on Microsoft's Durable engine (devhost/dtfx, .NET) with Azurite; needs
 * .NET and `npm run build`.
 */
export function startFloorAppHostOnRealEngine(
  model: ModelEndpoint,
  label: string,
  stackOnly = false,
): Promise<RealEngineBenchAppHost> {
  return startRealEngineBenchAppHost(floorHostOptions('azurite', model, label, stackOnly));
}

function floorHostOptions(
  storage: OursStorage,
  model: ModelEndpoint,
  label: string,
  stackOnly: boolean,
): BenchAppHostOptions {
  const agents = SUPPORT_AGENTS.map(({ name, description, instructions, handoffs }) => ({
    name,
    description,
    instructions,
    handoffs,
  }));
  return {
    storage,
    model,
    label,
    appDir: FLOOR_APP_DIR,
    settings: {
      FLOOR_AGENTS: JSON.stringify(agents),
      FLOOR_RECORD_FILL: String(FLOOR_RECORD_FILL),
      ...(stackOnly ? { FLOOR_SCRIPT: JSON.stringify(floorScript()) } : {}),
    },
  };
}

/** The scenarios as the floor's stack-only turns read them: customer message -> route and answer. */
function floorScript(): Record<string, { route: readonly string[]; finalAnswer: string }> {
  return Object.fromEntries(
    SCENARIOS.map(({ userMessage, route, finalAnswer }) => [userMessage, { route, finalAnswer }]),
  );
}

const StartedSchema = z.object({ runId: z.string().min(1) });
const StatusSchema = z.object({
  runtimeStatus: z.string(),
  output: z.object({ finalAnswer: z.string(), lastAgent: z.string(), agentTurns: z.number() }).nullable(),
});

/** One run as a client does it: HTTP start, the engine's in-process `waitFor`, HTTP status read. */
export function runFloorOnce(app: BenchAppHost, scenario: Scenario): Promise<RunOutcome> {
  return runFloor(app.api, scenario, async (runId) => {
    await app.engine.client.waitFor(runId, (status) => isTerminal(status.runtimeStatus), {
      timeoutMs: RUN_DEADLINE_MS,
    });
  });
}

/**
 * One run on the real engine: HTTP start, the management API's status read every
 * `REAL_ENGINE_POLL_MS` until it has ended (no in-process notification there), HTTP status read.
 */
export function runFloorOnRealEngine(app: RealEngineBenchAppHost, scenario: Scenario): Promise<RunOutcome> {
  return runFloor(app.api, scenario, (runId) => app.waitForEnd(runId, RUN_DEADLINE_MS));
}

async function runFloor(
  api: string,
  scenario: Scenario,
  waitForEnd: (runId: string) => Promise<void>,
): Promise<RunOutcome> {
  const started = await benchHttpRequest(`${api}/floor/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: scenario.userMessage, startAgent: START_AGENT }),
  });
  if (started.status !== 202) {
    throw new BenchError(
      'framework_failed',
      `Starting a floor run answered ${started.status}: ${started.text.slice(0, 300)}`,
    );
  }
  const { runId } = readJson(started, StartedSchema, 'Starting a floor run');
  await waitForEnd(runId);
  const read = await benchHttpRequest(`${api}/floor/status/${runId}`, { method: 'GET' });
  const status = readJson(read, StatusSchema, `Reading floor run ${runId}`);
  if (status.runtimeStatus !== 'Completed' || status.output === null) {
    throw new BenchError('framework_failed', `Floor run ${runId} ended ${status.runtimeStatus}.`);
  }
  return status.output;
}

/** The floor app as a framework under test (opt-in in the registry: a reference, not a peer). */
export function createStackFloor(storage: OursStorage): FrameworkUnderTest {
  const name = stackFloorName(storage);
  let app: BenchAppHost | undefined;
  return {
    name,
    description: `the stack's floor: a minimal Durable Functions app (plain @azure/functions + durable-functions; per turn one activity, one streamed openai SDK call, one @azure/data-tables $batch) on the local host, durable state in ${storage === 'memory' ? 'memory, turn store in an in-memory Azurite' : 'Azurite'}; HTTP start + engine waitFor + HTTP status`,
    async setup(endpoint: ModelEndpoint) {
      app = await startFloorAppHost(storage, endpoint, name);
    },
    runOnce(scenario: Scenario): Promise<RunOutcome> {
      if (app === undefined)
        throw new BenchError('framework_failed', `${name}: runOnce was called before setup.`);
      return runFloorOnce(app, scenario);
    },
    async teardown() {
      await app?.stop();
      app = undefined;
    },
  };
}
