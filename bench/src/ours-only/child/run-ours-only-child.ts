/**
 * The runner's side of an ours-only child process: forks it (TypeScript through tsx), waits for
 * its one answer, and turns every failure (an error answer, a malformed message, an exit without
 * answer, a deadline) into a `BenchError`. The child hosts the app itself, so its heap, its
 * environment variables and its Azurite are its own, as in a framework worker.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchError } from '../../bench-error';
import type { OursOnlySamples } from '../ours-only-measurement';
import { type ChildOptions, ChildReplySchema, type ChildTask } from './child-protocol';

/** Runs `task` in a fresh child process and returns its samples. */
export function runOursOnlyChild(
  task: ChildTask,
  options: ChildOptions,
  deadlineMs: number,
): Promise<OursOnlySamples[]> {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const child = fork(join(__dirname, 'ours-only-child.ts'), [task, JSON.stringify(options)], {
    execArgv: ['--import', tsx],
    stdio: ['ignore', 2, 'inherit', 'ipc'],
  });
  return new Promise<OursOnlySamples[]>((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      action();
    };
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() =>
        reject(
          new BenchError(
            'worker_failed',
            `The ours-only task ${task} did not finish within ${deadlineMs} ms.`,
          ),
        ),
      );
    }, deadlineMs);
    child.on('message', (message: unknown) => {
      const parsed = ChildReplySchema.safeParse(message);
      if (!parsed.success) {
        settle(() =>
          reject(
            new BenchError(
              'worker_failed',
              `The ours-only task ${task} sent a malformed message: ${parsed.error.message}`,
            ),
          ),
        );
      } else if (parsed.data.type === 'failed') {
        const failure = parsed.data.message;
        settle(() =>
          reject(new BenchError('framework_failed', `The ours-only task ${task} failed: ${failure}`)),
        );
      } else {
        const samples = parsed.data.samples;
        settle(() => resolve(samples));
      }
    });
    child.on('exit', (code, signal) => {
      settle(() =>
        reject(
          new BenchError(
            'worker_failed',
            `The ours-only task ${task} exited without an answer (code ${String(code)}, signal ${String(signal)}).`,
          ),
        ),
      );
    });
  });
}
