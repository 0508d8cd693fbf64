/**
 * Scale-out on Microsoft's real Durable engine: three local hosts, each its own Node process with
 * its own .NET engine, share one task hub on one Azurite, as app instances share a storage account
 * in Azure. 30 runs (autonomous and human_in_loop, most using the sample's tools) are started through
 * host A's API and followed and answered through host B's; once a third of their turns are done, A
 * and its engine are SIGKILLed together (a machine that dies). Every run must then finish on B and C
 * exactly as its story says, and the event log B serves and the one C serves must be the same,
 * numbered 1..n with no gap and no duplicate. Skips, saying why, without .NET or the dtfx build.
 *
 * `npm run build && npx jest tests/reliability/scale-out`
 */
import fs from 'node:fs';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import type { WorkflowEvent } from '../../src/core/events';
import type { ScriptedModelServer } from '../../src/testing';
import { waitFor } from '../support/api-client';
import type { CliHost } from '../support/cli-host';
import { describeOnRealEngine, useRealEngineHosts } from '../devhost/real-engine/real-engine-hosts';
import { crashStory } from './support/crash-stories';
import { recordFigures } from './support/figures';
import { runEvents } from './support/run-api';
import { compareRun, type RunComparison } from './support/run-comparison';
import { RunDriver } from './support/run-driver';
import { storyCalls, storyResponder } from './support/run-stories';

const RUNS = 30;
/** The kill comes once this share of all the runs' agent turns is done. */
const KILL_AT_TURN_SHARE = 1 / 3;
/** Model answers take this long, so the kill lands while calls are in flight on the killed host. */
const MODEL_DELAY_MS = 300;
const TASK_HUB = 'ScaleOutHub';
const FUNCTION_KEY = 'scale-out-function-key-0123456789';
/**
 * A hard-killed engine's dequeued messages come back after the queues' visibility timeout (5 min
 * by default; 1 min, the extension's minimum, here), its partitions once their table leases expire
 * (30 s, not configurable through the extension). The test waits on conditions up to these deadlines.
 */
const ENGINE_SETTINGS = {
  AzureWebJobs__extensions__DurableTask__storageProvider__workItemQueueVisibilityTimeout: '00:01:00',
  AzureWebJobs__extensions__DurableTask__storageProvider__controlQueueVisibilityTimeout: '00:01:00',
};
const BALANCE_DEADLINE_MS = 120_000;
const KILL_DEADLINE_MS = 180_000;
const FINISH_AFTER_KILL_DEADLINE_MS = 240_000;

/** Each host's output, kept for a failure's investigation. */
const OUTPUT_DIR = path.resolve(__dirname, '../../test-output/scale-out');

const stories = Array.from({ length: RUNS }, (_, index) => crashStory(index));
const totalTurns = stories.reduce((n, story) => n + Math.max(...storyCalls(story).map((c) => c.turn)), 0);

/** The partitions of the task hub by control queue, with the worker that owns each. */
async function partitionOwners(connectionString: string): Promise<Map<string, string>> {
  const table = TableClient.fromConnectionString(connectionString, `${TASK_HUB}Partitions`, {
    allowInsecureConnection: true,
  });
  const owners = new Map<string, string>();
  try {
    for await (const row of table.listEntities<{ CurrentOwner?: string }>()) {
      owners.set(String(row.rowKey), row.CurrentOwner ?? '');
    }
  } catch (error) {
    // The table appears when the first engine creates the task hub.
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  return owners;
}

/** The partitions `host` owns (its engine's worker id ends with its port). */
function ownedBy(owners: Map<string, string>, host: CliHost): string[] {
  const port = new URL(host.baseUrl).port;
  return [...owners].filter(([, owner]) => owner.endsWith(`-${port}`)).map(([partition]) => partition);
}

/** The .NET engine process of a host (its banner names it). */
function enginePid(host: CliHost): number {
  const pid = Number(/\.NET process (\d+)/.exec(host.output())?.[1]);
  if (!(pid > 0)) throw new Error(`No .NET process in the host's output:\n${host.output()}`);
  return pid;
}

describeOnRealEngine('scale-out on the real Durable engine', () => {
  const started = Date.now();
  // Its Azurite plays the storage account, which outlives every instance.
  const dtfx = useRealEngineHosts({
    dataDirPrefix: 'dtfx-scale-out-',
    ports: 3,
    model: { responder: storyResponder(stories, { delayMs: () => MODEL_DELAY_MS }) },
    env: {
      DURABLE_HANDOFF_TASK_HUB: TASK_HUB,
      DURABLE_HANDOFF_START_AUTH_LEVEL: 'anonymous',
      DEVHOST_FUNCTION_KEY: FUNCTION_KEY,
      ...ENGINE_SETTINGS,
    },
    readyTimeoutMs: 180_000,
  });
  let model: ScriptedModelServer | undefined;
  /** A, B and C, in the order of their ports. */
  const hosts: CliHost[] = [];
  let driver: RunDriver | undefined;
  let comparisons: RunComparison[] = [];
  let eventsChecked = 0;
  const notes: string[] = [];

  beforeAll(async () => {
    model = dtfx.model();
    const [first, ...others] = dtfx.ports();
    const start = (port: number) => dtfx.start({ port });
    // The first engine creates the task hub; the others join it.
    hosts.push(await start(first!));
    hosts.push(...(await Promise.all(others.map(start))));
  }, 400_000);

  // Runs after the shared hooks have stopped the hosts, the model server and Azurite.
  afterAll(() => {
    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
    hosts.forEach((h, i) => fs.writeFileSync(path.join(OUTPUT_DIR, `host-${'ABC'[i]}.log`), h.output()));
    recordFigures({
      part: 'scale-out',
      figures: {
        kills: hosts.some((h) => h.child.signalCode === 'SIGKILL') ? 1 : 0,
        runs: driver?.runs.filter((r) => r.started).length ?? 0,
        modelRequests: model?.requests.length ?? 0,
        recharged: Math.max(
          0,
          (model?.requests.length ?? 0) - stories.reduce((n, story) => n + storyCalls(story).length, 0),
        ),
        lost: comparisons.reduce((n, c) => n + c.lost, 0),
        duplicated: comparisons.reduce((n, c) => n + c.duplicated, 0),
      },
      notes: [
        `3 hosts with the real engine (dtfx) on one task hub; ${eventsChecked} events checked on each surviving host`,
        ...notes,
        `${Math.round((Date.now() - started) / 1000)} s in all`,
      ],
    });
  }, 60_000);

  it('finishes every run on the other hosts after one is SIGKILLed, with the same event log on each', async () => {
    const [hostA, hostB, hostC] = hosts as [CliHost, CliHost, CliHost];
    const connectionString = dtfx.azurite().connectionString;

    // Every instance owns some of the task hub's partitions before the runs start, so the one
    // killed holds orchestrations, not only activities.
    await waitFor(
      'every host to own a partition of the task hub',
      async () => {
        const owners = await partitionOwners(connectionString);
        return owners.size > 0 && hosts.every((h) => ownedBy(owners, h).length > 0) ? owners : undefined;
      },
      { timeoutMs: BALANCE_DEADLINE_MS, intervalMs: 500 },
    );

    const runDriver = new RunDriver(hostA.api, stories, 'scale', FUNCTION_KEY, {
      followApi: hostB.api,
      // No host here hangs (A is killed, which fails its requests at once), so a slow answer is only
      // load: waiting for it keeps the driver from sending a start again while the first is still
      // in progress, a race of its own (on the real engine both can be accepted).
      requestTimeoutMs: 60_000,
    });
    driver = runDriver;
    runDriver.startQuota = RUNS;
    let driving = true;
    let lastUnfinishedAt = Date.now();
    const driverLoop = (async () => {
      while (driving) {
        await runDriver.round();
        if (runDriver.unfinished().length > 0) lastUnfinishedAt = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    try {
      // The starts go to A only: A must have accepted every run before it dies.
      await waitFor(
        `a third of the runs' ${totalTurns} turns to be done`,
        () => {
          const done = runDriver.runs.reduce((n, run) => n + (run.status?.turn ?? 0), 0);
          return Promise.resolve(
            runDriver.runs.every((r) => r.started) && done >= totalTurns * KILL_AT_TURN_SHARE
              ? true
              : undefined,
          );
        },
        { timeoutMs: KILL_DEADLINE_MS, intervalMs: 100 },
      );
      const ownedAtKill = ownedBy(await partitionOwners(connectionString), hostA);
      const unfinishedAtKill = runDriver.unfinished().length;
      process.kill(enginePid(hostA), 'SIGKILL');
      await hostA.kill('SIGKILL');
      const killedAt = Date.now();

      await waitFor(
        'every run to finish on the surviving hosts',
        () => Promise.resolve(runDriver.unfinished().length === 0 ? true : undefined),
        { timeoutMs: FINISH_AFTER_KILL_DEADLINE_MS, intervalMs: 200 },
      );
      const owners = await partitionOwners(connectionString);
      notes.push(
        `host A killed with ${unfinishedAtKill} of ${RUNS} runs unfinished and ${ownedAtKill.length} of ` +
          `${owners.size} partitions owned (${ownedAtKill.join(', ')}); the last run finished ` +
          `${Math.round((lastUnfinishedAt - killedAt) / 1000)} s after the kill`,
      );
      expect(unfinishedAtKill).toBeGreaterThan(0);
      expect(ownedAtKill.length).toBeGreaterThan(0);
      // The killed host's partitions moved to the survivors.
      expect(ownedBy(owners, hostA)).toEqual([]);
      expect([...ownedBy(owners, hostB), ...ownedBy(owners, hostC)].sort()).toEqual(
        [...owners.keys()].sort(),
      );
    } finally {
      driving = false;
      await driverLoop;
    }

    const problems: string[] = [];
    comparisons = [];
    for (const run of runDriver.runs) {
      for (const host of [hostB, hostC]) comparisons.push(await compareRun(host.api, run));
      const [onB, onC] = await Promise.all(
        [hostB, hostC].map((host): Promise<WorkflowEvent[]> => runEvents(host.api, run)),
      );
      eventsChecked += onB!.length;
      if (JSON.stringify(onB) !== JSON.stringify(onC)) {
        problems.push(
          `${run.runId}: host B serves ${onB!.length} events, host C ${onC!.length}, not the same`,
        );
      }
    }
    problems.push(
      ...comparisons.flatMap((c) => c.problems),
      ...runDriver.problems,
      ...model!.failures.map((f) => `unexpected model request: ${f.message}`),
    );
    if (problems.length > 0) {
      throw new Error(
        `${problems.length} problem(s) (the hosts' output is in ${OUTPUT_DIR}):\n${problems.join('\n')}`,
      );
    }
    expect(runDriver.runs.filter((r) => r.started)).toHaveLength(RUNS);
    expect(eventsChecked).toBeGreaterThan(RUNS);
  }, 600_000);
});
