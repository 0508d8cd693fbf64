/**
 * A framework worker process: holds one framework under test (named by its first argument), and
 * runs what the bench runner asks over IPC. Each framework gets its own process so that module
 * loading, heaps, GC and peak memory are its own.
 *
 * Timing is taken here, around the framework call only, with `performance.now()`.
 */
import { performance } from 'node:perf_hooks';
import { frameworkEntry } from '../frameworks/registry';
import { childProcessUsage } from '../measure/process-usage';
import type { FrameworkUnderTest } from '../frameworks/framework-under-test';
import { scenarioNamed } from '../scenario/scenarios';
import { type WorkerReply, type WorkerRequest, WorkerRequestSchema } from './worker-protocol';

const name = process.argv[2] ?? '';
let framework: FrameworkUnderTest | undefined;
let queue = Promise.resolve();

process.on('message', (message: unknown) => {
  queue = queue.then(() => handle(message));
});

async function handle(message: unknown): Promise<void> {
  let reply: WorkerReply;
  try {
    reply = await serve(WorkerRequestSchema.parse(message));
  } catch (error) {
    reply = { type: 'failed', message: describe(error) };
  }
  // After teardown the worker exits at once: a framework's idle keep-alive sockets must not keep it alive.
  process.send?.(reply, () => {
    if (reply.type === 'torn_down') process.exit(0);
  });
}

/** This process's CPU time (user + system) since `start`, in ms. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function serve(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'setup': {
      const loadStart = performance.now();
      framework = await frameworkEntry(name).create();
      const setupStart = performance.now();
      await framework.setup(request.endpoint);
      const setupMs = performance.now() - setupStart;
      return { type: 'ready', description: framework.description, loadMs: setupStart - loadStart, setupMs };
    }
    case 'run': {
      const scenario = scenarioNamed(request.scenario);
      const running = ready();
      const cpu = process.cpuUsage();
      const start = performance.now();
      const outcome = await running.runOnce(scenario);
      const wallMs = performance.now() - start;
      return { type: 'ran', wallMs, cpuMs: cpuMsSince(cpu), outcome };
    }
    case 'batch': {
      const scenario = scenarioNamed(request.scenario);
      const running = ready();
      const cpu = process.cpuUsage();
      const start = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: request.concurrency }, () => running.runOnce(scenario)),
      );
      const wallMs = performance.now() - start;
      return { type: 'batch_done', wallMs, cpuMs: cpuMsSince(cpu), outcomes };
    }
    case 'memory': {
      const usage = process.memoryUsage();
      // maxRSS is in kilobytes.
      const maxRss = process.resourceUsage().maxRSS * 1024;
      // esbuild is tsx's compiler service, started by the harness's TypeScript loader, not by the framework.
      const children = childProcessUsage()
        .filter((child) => child.command !== 'esbuild')
        .map((child) => ({
          command: child.command,
          rss: child.rssBytes,
          maxRss: child.peakRssBytes,
        }));
      return { type: 'memory', memory: { rss: usage.rss, maxRss, heapUsed: usage.heapUsed, children } };
    }
    case 'teardown':
      await framework?.teardown();
      return { type: 'torn_down' };
  }
}

function ready(): FrameworkUnderTest {
  if (framework === undefined) throw new Error(`framework ${name} was asked to run before setup`);
  return framework;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
