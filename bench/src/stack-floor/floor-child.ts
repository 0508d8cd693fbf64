/**
 * One subject of the stack-floor tool in a process of its own (its first argument names it, see
 * `floor-protocol.ts`): the floor app or durable-handoff's sample app on the local host, or OpenAI
 * Agents JS in-process. Hosts in one process share `process.env`, so each app gets its own process,
 * as each framework does in the bench. Runs are the bench's `handoff` scenario, one at a time
 * unless a batch is asked for.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { URL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { AppWorker } from '../../../dist/devhost/worker/app-worker.js';
import { runOursOnce } from '../frameworks/durable-handoff';
import type { FrameworkUnderTest, ModelEndpoint, RunOutcome } from '../frameworks/framework-under-test';
import { frameworkEntry } from '../frameworks/registry';
import {
  runFloorOnce,
  runFloorOnRealEngine,
  startFloorAppHost,
  startFloorAppHostOnRealEngine,
} from '../frameworks/stack-floor';
import { checkOutcome } from '../measure/check-run';
import {
  type BenchAppHost,
  rpcPortOf,
  startBenchAppHost,
  startRealEngineBenchAppHost,
} from '../ours/bench-app-host';
import { outcomeOfStatus, readRunStatusOverHttp, startRunOverHttp } from '../ours/run-api';
import {
  chargeAppWorker,
  type CostArea,
  type RequestKind,
  runCharged,
  startCostAttribution,
} from '../ours/cost-attribution';
import { HANDOFF_SCENARIO } from '../scenario/scenarios';
import {
  type FloorReply,
  type FloorRequest,
  FloorRequestSchema,
  type FloorSubject,
  FLOOR_SUBJECTS,
  type FloorTally,
  isHostedSubject,
  isRealEngineSubject,
  isStackOnly,
} from './floor-protocol';
import { announcedLength } from './floor-figures';

const subject = FLOOR_SUBJECTS.find((name) => name === process.argv[2]);
if (subject === undefined)
  throw new Error(`Unknown subject ${process.argv[2]}; known: ${FLOOR_SUBJECTS.join(', ')}`);

interface Running {
  run(): Promise<RunOutcome>;
  /** For a hosted app: where its requests go, for the attribution. */
  ports?: { model: number; host: number; rpc: number | undefined };
  /** On the real engine: the .NET engine's process, whose CPU is read from /proc. */
  enginePid?: number;
  stop(): Promise<void>;
}

/** The longest one run may take on the real engine. */
const REAL_ENGINE_RUN_DEADLINE_MS = 240_000;

/**
 * A process's CPU time so far (user + system, ms) from /proc/<pid>/stat: fields 14 and 15 after
 * the command name, in clock ticks (100 per second on Linux).
 */
function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

let running: Running | undefined;
let queue = Promise.resolve();
process.on('message', (message: unknown) => {
  queue = queue.then(() => handle(message));
});

async function handle(message: unknown): Promise<void> {
  let reply: FloorReply;
  try {
    reply = await serve(FloorRequestSchema.parse(message));
  } catch (error) {
    reply = {
      type: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  process.send?.(reply, () => {
    if (reply.type === 'torn_down') process.exit(0);
  });
}

async function start(name: FloorSubject, endpoint: ModelEndpoint): Promise<Running> {
  if (!isHostedSubject(name)) {
    const framework: FrameworkUnderTest = await frameworkEntry(name).create();
    await framework.setup(endpoint);
    return { run: () => framework.runOnce(HANDOFF_SCENARIO), stop: () => framework.teardown() };
  }
  chargeAppWorker(AppWorker as unknown as Parameters<typeof chargeAppWorker>[0]);
  if (isRealEngineSubject(name)) return startOnRealEngine(name, endpoint);
  const storage = name.endsWith('azurite') ? 'azurite' : 'memory';
  const floor = name.startsWith('stack-');
  const app: BenchAppHost = floor
    ? await startFloorAppHost(storage, endpoint, name, isStackOnly(name))
    : await startBenchAppHost({ storage, model: endpoint, label: name });
  return {
    run: () =>
      runCharged('client', () =>
        floor ? runFloorOnce(app, HANDOFF_SCENARIO) : runOursOnce(app, HANDOFF_SCENARIO),
      ),
    ports: {
      model: Number(new URL(endpoint.baseUrl).port),
      host: Number(new URL(app.api).port),
      rpc: rpcPortOf(app),
    },
    stop: () => app.stop(),
  };
}

async function startOnRealEngine(name: FloorSubject, endpoint: ModelEndpoint): Promise<Running> {
  const floor = name.startsWith('stack-');
  const app = floor
    ? await startFloorAppHostOnRealEngine(endpoint, name, isStackOnly(name))
    : await startRealEngineBenchAppHost({ storage: 'azurite', model: endpoint, label: name });
  const runOurs = async (): Promise<RunOutcome> => {
    const run = await startRunOverHttp(app.api, HANDOFF_SCENARIO.userMessage);
    await app.waitForEnd(run.runId, REAL_ENGINE_RUN_DEADLINE_MS);
    return outcomeOfStatus(run.runId, await readRunStatusOverHttp(app.api, run));
  };
  return {
    run: () => runCharged('client', () => (floor ? runFloorOnRealEngine(app, HANDOFF_SCENARIO) : runOurs())),
    ports: {
      model: Number(new URL(endpoint.baseUrl).port),
      host: Number(new URL(app.api).port),
      rpc: undefined,
    },
    enginePid: app.host.dtfx!.pid,
    stop: () => app.stop(),
  };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function checkedRun(subjectRunning: Running): Promise<void> {
  checkOutcome(subject!, HANDOFF_SCENARIO, await subjectRunning.run());
}

async function serve(request: FloorRequest): Promise<FloorReply> {
  switch (request.type) {
    case 'setup':
      running = await start(subject!, request.endpoint);
      return { type: 'ready', description: subject! };
    case 'plain': {
      const it = ready();
      const runs = [];
      const engineStart = it.enginePid === undefined ? undefined : procCpuMs(it.enginePid);
      for (let i = 0; i < request.runs; i += 1) {
        const cpu = process.cpuUsage();
        const startedAt = performance.now();
        await checkedRun(it);
        runs.push({ wallMs: performance.now() - startedAt, cpuMs: cpuMsSince(cpu) });
      }
      if (engineStart === undefined) return { type: 'plain_done', runs };
      return { type: 'plain_done', runs, engineCpuMs: procCpuMs(it.enginePid!) - engineStart };
    }
    case 'hooked':
      return { type: 'hooked_done', tally: await hookedRuns(ready(), request.runs) };
    case 'batch': {
      const it = ready();
      const cpu = process.cpuUsage();
      const startedAt = performance.now();
      await Promise.all(Array.from({ length: request.concurrency }, () => checkedRun(it)));
      const wallMs = performance.now() - startedAt;
      // maxRSS is in kilobytes.
      return {
        type: 'batch_done',
        wallMs,
        cpuMs: cpuMsSince(cpu),
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      };
    }
    case 'teardown':
      await running?.stop();
      return { type: 'torn_down' };
  }
}

function ready(): Running {
  if (running === undefined) throw new Error(`${subject} was asked to run before setup`);
  return running;
}

async function hookedRuns(it: Running, runs: number): Promise<FloorTally> {
  const ports = it.ports;
  if (ports === undefined) throw new Error(`${subject} is not a hosted app: its CPU cannot be split`);
  let bytes = { storageBytes: 0, modelBytes: 0 };
  // The attribution classifies each request first (its subscription is older); this one adds the
  // body's announced length to the app's storage or model bytes.
  let last: { area: CostArea; kind: RequestKind } | undefined;
  const attribution = startCostAttribution({
    modelPort: ports.model,
    hostPort: ports.host,
    rpcPort: ports.rpc,
    onRequest(area, kind) {
      last = { area, kind };
    },
  });
  const addBytes = (length: number): void => {
    if (last === undefined || !last.area.startsWith('app:')) return;
    if (last.kind === 'storage') bytes.storageBytes += length;
    if (last.kind === 'model') bytes.modelBytes += length;
    last = undefined;
  };
  const onNode = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request;
    addBytes(Number(request.getHeader('content-length') ?? 0));
  };
  // undici (fetch) keeps a body's length on the request (its headers get it only when sent).
  const onUndici = (message: unknown): void => {
    const request = (message as { request: { contentLength?: unknown; headers?: unknown } }).request;
    const length =
      typeof request.contentLength === 'number' ? request.contentLength : announcedLength(request.headers);
    addBytes(length);
  };
  diagnosticsChannel.subscribe('http.client.request.start', onNode);
  diagnosticsChannel.subscribe('undici:request:create', onUndici);
  try {
    for (let i = 0; i < runs; i += 1) await checkedRun(it);
  } finally {
    attribution.stop();
    diagnosticsChannel.unsubscribe('http.client.request.start', onNode);
    diagnosticsChannel.unsubscribe('undici:request:create', onUndici);
  }
  const tally = attribution.take();
  const result = { busyMs: tally.busyMs, requests: tally.requests, ...bytes };
  bytes = { storageBytes: 0, modelBytes: 0 };
  return result;
}
