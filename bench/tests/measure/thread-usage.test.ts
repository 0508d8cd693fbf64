import {
  descendantPids,
  nodeThreadRole,
  parseSchedstat,
  processThreads,
  threadDelta,
} from '../../src/measure/thread-usage';
import { spawn } from 'node:child_process';

describe('thread usage from /proc', () => {
  it('reads the time on a CPU and the time waiting for one from a schedstat line, in ms', () => {
    expect(parseSchedstat('289907901 203731011 341\n')).toEqual({
      cpuMs: 289.907901,
      runQueueMs: 203.731011,
    });
  });

  it('charges each thread with what it spent between two readings, a thread born in between from zero', () => {
    const before = {
      pid: 1,
      command: 'node',
      threads: [{ tid: 1, cpuMs: 100, runQueueMs: 50, systemMs: 10 }],
    };
    const after = {
      pid: 1,
      command: 'node',
      threads: [
        { tid: 1, cpuMs: 160, runQueueMs: 80, systemMs: 20 },
        { tid: 9, cpuMs: 5, runQueueMs: 1, systemMs: 0 },
      ],
    };

    expect(threadDelta(before, after)).toEqual([
      { tid: 1, cpuMs: 60, runQueueMs: 30, systemMs: 10 },
      { tid: 9, cpuMs: 5, runQueueMs: 1, systemMs: 0 },
    ]);
  });

  it("names a Node thread's role by its creation rank, after the V8 pool size", () => {
    const roles = Array.from({ length: 9 }, (_, rank) => nodeThreadRole(rank, 4));

    expect(roles).toEqual([
      'main thread',
      'delayed-task scheduler',
      'V8 platform worker',
      'V8 platform worker',
      'V8 platform worker',
      'V8 platform worker',
      'signal watchdog',
      'later thread',
      'later thread',
    ]);
    expect(nodeThreadRole(3, 1)).toBe('signal watchdog');
  });

  it('reads this process with its main thread first and finds a child among its descendants', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      const own = processThreads(process.pid);

      expect(own?.threads[0]?.tid).toBe(process.pid);
      expect(own?.threads.length).toBeGreaterThan(1);
      expect(descendantPids(process.pid)).toContain(child.pid);
    } finally {
      child.kill();
    }
  });
});
