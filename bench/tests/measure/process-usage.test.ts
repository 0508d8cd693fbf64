import { spawn } from 'node:child_process';
import {
  childProcessUsage,
  commandName,
  parseProcStat,
  parseProcStatus,
} from '../../src/measure/process-usage';

describe('process usage from /proc', () => {
  it('reads the parent pid, the CPU time and its kernel share from a stat line whose command name holds spaces and parentheses', () => {
    const stat =
      '4242 (node (azurite) x) S 4000 4242 4000 0 -1 4194560 1 0 0 0 250 75 0 0 20 0 11 0 100 1000 100';

    expect(parseProcStat(stat)).toEqual({ parentPid: 4000, cpuMs: 3250, systemMs: 750 });
  });

  it('reads the resident set size and its peak, in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t11\n';

    expect(parseProcStatus(status)).toEqual({ rssBytes: 102400 * 1024, peakRssBytes: 204800 * 1024 });
  });

  it('names Azurite by its script and anything else by its executable', () => {
    expect(commandName('/usr/bin/node\0/x/node_modules/azurite/dist/src/azurite.js\0--silent')).toBe(
      'azurite',
    );
    expect(commandName('/usr/bin/sleep\x0030')).toBe('sleep');
  });

  it('lists a child process this process started, with its memory', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise<void>((resolve) => child.once('spawn', () => resolve()));
      const found = childProcessUsage().find((usage) => usage.pid === child.pid);

      expect(found?.command).toBe('sleep');
      expect(found?.peakRssBytes).toBeGreaterThan(0);
    } finally {
      child.kill();
    }
  });
});
