/**
 * Runs the built demo (`dist/scripts/demo.js`) as a child process, as `npm run demo` does, with the
 * offline demo model: every model setting is set empty, which wins over the environment and over a
 * developer's local.settings.json.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const DEMO_SCRIPT = path.resolve(__dirname, '../../../dist/scripts/demo.js');

const MODEL_SETTINGS = [
  'AZURE_OPENAI_ENDPOINT',
  'AZURE_OPENAI_DEPLOYMENT',
  'AZURE_OPENAI_API_VERSION',
  'AZURE_OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_MODEL',
];

/** A running demo: its output so far, a way to wait for some of it, and its exit. */
export interface DemoProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout contains `text`; rejects after `timeoutMs`, naming what it waited for. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** The exit code (a signal counts as a failure of the test). */
  exited: Promise<number>;
}

/** Starts `node dist/scripts/demo.js ...args`. */
export function startDemo(args: readonly string[]): DemoProcess {
  if (!fs.existsSync(DEMO_SCRIPT)) {
    throw new Error(`${DEMO_SCRIPT} does not exist: run \`npm run build\` first (\`npm test\` does).`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of MODEL_SETTINGS) env[name] = '';
  const child = spawn(process.execPath, [DEMO_SCRIPT, ...args], { env, stdio: 'pipe' });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const check of waiters) check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const check of waiters) check();
      if (code === null) reject(new Error(`the demo was killed by ${signal}; stderr:\n${err}`));
      else resolve(code);
    });
  });
  exited.catch(() => undefined);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput: (text, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for the demo to print "${text}". stdout:\n${out}\nstderr:\n${err}`,
            ),
          );
        }, timeoutMs);
        function check(): void {
          if (out.includes(text)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`The demo exited before printing "${text}". stdout:\n${out}\nstderr:\n${err}`));
          }
        }
        waiters.add(check);
        check();
      }),
  };
}

/**
 * Stops a demo that is still running (after a failed assertion) and waits for it to go: Ctrl-C first,
 * which stops its host and Azurite, then SIGKILL if it is still there after 10 s.
 */
export async function stopDemo(demo: DemoProcess | undefined): Promise<void> {
  if (!demo || demo.child.exitCode !== null || demo.child.signalCode !== null) return;
  demo.child.kill('SIGINT');
  const gone = demo.exited.then(
    () => true,
    () => true,
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)));
  if (!(await Promise.race([gone, late]))) {
    demo.child.kill('SIGKILL');
    await gone;
  }
  clearTimeout(timer);
}

/** stdout as lines. */
export function linesOf(text: string): string[] {
  return text.split('\n');
}
