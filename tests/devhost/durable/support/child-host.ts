import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A crash-host child process. */
export interface ChildHost {
  child: ChildProcess;
  port: number;
  origin: string;
  /** Everything the child wrote to stderr (for failure messages). */
  stderr(): string;
  /** Kills the child with `signal` and waits for it to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

const READY_DEADLINE_MS = 30_000;

/** Starts `support/crash-host.ts` on the data folder and waits for its READY line. */
export function startChildHost(dataDir: string): Promise<ChildHost> {
  const child = spawn(
    process.execPath,
    ['-r', path.join(__dirname, 'ts-register.cjs'), path.join(__dirname, 'crash-host.ts'), '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      void kill('SIGKILL');
      reject(new Error(`crash-host did not print READY within ${READY_DEADLINE_MS} ms. stderr:\n${stderr}`));
    }, READY_DEADLINE_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\d+)/.exec(stdout);
      if (!match) return;
      clearTimeout(deadline);
      const port = Number(match[1]);
      resolve({ child, port, origin: `http://localhost:${port}`, stderr: () => stderr, kill });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      reject(new Error(`crash-host exited (${signal ?? code}) before READY. stderr:\n${stderr}`));
    });
  });
}
