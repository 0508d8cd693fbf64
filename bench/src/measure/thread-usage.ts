/**
 * Per-thread CPU and CPU wait of a process and of its descendants, from Linux's
 * `/proc/<pid>/task/<tid>/schedstat` (nanoseconds on a CPU, nanoseconds runnable but waiting for
 * one). Node names every thread `node`, so this process's threads are told apart by the order they
 * were created in (see {@link nodeThreadRole}).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { commandName, parseProcStat } from './process-usage';

/** One thread's scheduler figures since it started. */
export interface ThreadTimes {
  tid: number;
  /** Time on a CPU, ms. */
  cpuMs: number;
  /** Time runnable but waiting for a CPU (the run queue), ms. */
  runQueueMs: number;
  /** Of the CPU time, in the kernel (system time from `/proc/.../stat`, 10 ms ticks), ms. */
  systemMs: number;
}

/** A process's threads, ordered by thread id (creation order, barring id wrap-around). */
export interface ProcessThreads {
  pid: number;
  command: string;
  threads: ThreadTimes[];
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parses `/proc/.../schedstat`: `<ns on cpu> <ns waiting on a run queue> <timeslices>`. */
export function parseSchedstat(text: string): { cpuMs: number; runQueueMs: number } {
  const [onCpu, waiting] = text.trim().split(/\s+/).map(Number);
  return { cpuMs: (onCpu ?? 0) / 1e6, runQueueMs: (waiting ?? 0) / 1e6 };
}

/** The threads of process `pid` now, or undefined when it is gone (or /proc is missing). */
export function processThreads(pid: number): ProcessThreads | undefined {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const threads = tids.flatMap((tid) => {
    const text = readText(`/proc/${pid}/task/${tid}/schedstat`);
    const stat = readText(`/proc/${pid}/task/${tid}/stat`);
    if (text === undefined || stat === undefined) return [];
    return [{ tid: Number(tid), ...parseSchedstat(text), systemMs: parseProcStat(stat).systemMs }];
  });
  threads.sort((a, b) => a.tid - b.tid);
  return { pid, command: commandName(readText(`/proc/${pid}/cmdline`) ?? ''), threads };
}

/** Every descendant process of `pid` (children, their children, ...). */
export function descendantPids(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const parentOf = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    if (stat !== undefined) parentOf.set(Number(entry), parseProcStat(stat).parentPid);
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** What each thread spent between two readings of the same process (threads born in between count from zero). */
export function threadDelta(before: ProcessThreads | undefined, after: ProcessThreads): ThreadTimes[] {
  const earlier = new Map(before?.threads.map((thread) => [thread.tid, thread]));
  return after.threads.map((thread) => {
    const start = earlier.get(thread.tid);
    return {
      tid: thread.tid,
      cpuMs: thread.cpuMs - (start?.cpuMs ?? 0),
      runQueueMs: thread.runQueueMs - (start?.runQueueMs ?? 0),
      systemMs: thread.systemMs - (start?.systemMs ?? 0),
    };
  });
}

/**
 * The role of a Node process's thread from its position in creation order, as Node 20 starts
 * them: the main thread, the platform's delayed-task scheduler, `v8PoolSize` V8 platform workers
 * (GC marking and sweeping, concurrent compilation; `--v8-pool-size`, 4 by default), the
 * SIGUSR1 watchdog, then threads started later (libuv's pool on first use, a module-hooks loader
 * thread, ...). Checked on Node 20.20 by varying `--v8-pool-size` and `UV_THREADPOOL_SIZE` and
 * loading the GC (ranks 2-5 burn) or the pool (`crypto.pbkdf2`: ranks 7-10 burn).
 */
export function nodeThreadRole(rank: number, v8PoolSize: number): string {
  if (rank === 0) return 'main thread';
  if (rank === 1) return 'delayed-task scheduler';
  if (rank <= 1 + v8PoolSize) return 'V8 platform worker';
  if (rank === 2 + v8PoolSize) return 'signal watchdog';
  return 'later thread';
}
