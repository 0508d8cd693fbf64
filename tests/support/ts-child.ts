/**
 * Runs a TypeScript script of the tests in a child process of its own (through the tests'
 * ts-register hook), for what a test cannot set in jest's process: an environment read at load
 * (`NODE_EXTRA_CA_CERTS`, identity variables) or a module state that must start fresh.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const TS_REGISTER = path.resolve(__dirname, '../devhost/durable/support/ts-register.cjs');

/**
 * Runs `script` with exactly `env` and resolves with the JSON of the last line it printed; rejects
 * with everything it printed when that line is not JSON (`what` names the process in the message).
 */
export function tsChildOutcome<T>(script: string, env: NodeJS.ProcessEnv, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', TS_REGISTER, script], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T);
      } catch {
        reject(new Error(`the ${what} process printed no outcome:\n${stdout}\n${stderr}`));
      }
    });
  });
}
