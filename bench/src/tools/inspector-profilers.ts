/**
 * V8's CPU and sampling heap profilers over `node:inspector`, started and stopped around the part
 * of a tool's work it measures (as `node --cpu-prof` and `--heap-prof` do for a whole process).
 * Each `stop()` resolves with the profile, ready for `JSON.stringify` into a `.cpuprofile` or
 * `.heapprofile` file.
 */
import { Session } from 'node:inspector/promises';

/** A running profiler. */
export interface RunningProfiler {
  stop(): Promise<unknown>;
}

/** Starts the CPU profiler of this process. */
export async function startCpuProfiler(): Promise<RunningProfiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 100 µs sampling, finer than the 1 ms default: a run's steps take fractions of a millisecond.
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

/** Starts the sampling heap profiler of this process, garbage included. */
export async function startHeapProfiler(): Promise<RunningProfiler> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  // Collected objects are kept in the samples: the peak RSS of a batch is its garbage.
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 32 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return {
    async stop() {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      session.disconnect();
      return profile;
    },
  };
}
