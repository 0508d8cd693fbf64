/**
 * The app as deployed, with only host.json's durable concurrency limits changed: a temporary app
 * folder with a rewritten host.json, the same package.json, and symbolic links to the sample app's
 * dist/ and the repository's node_modules/. Node resolves the links to the real files, so the host runs exactly the
 * same code as from the repository root.
 */
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { BenchError } from '../bench-error';
import { APP_DIR, PROJECT_DIR } from './bench-app-host';

/** The durable limits host.json sets (and that the bench may raise). */
export interface DurableConcurrency {
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
}

const HostJsonSchema = z
  .object({
    extensions: z.object({ durableTask: z.object({}).loose() }).loose(),
  })
  .loose();

/** The limits of the repository's host.json (what the app ships with). */
export async function shippedConcurrency(appDir: string = APP_DIR): Promise<DurableConcurrency> {
  const raw: unknown = JSON.parse(await readFile(join(appDir, 'host.json'), 'utf8'));
  const durable = z
    .object({
      extensions: z.object({
        durableTask: z.object({
          maxConcurrentActivityFunctions: z.number().int().positive(),
          maxConcurrentOrchestratorFunctions: z.number().int().positive(),
        }),
      }),
    })
    .safeParse(raw);
  if (!durable.success) {
    throw new BenchError(
      'framework_failed',
      `host.json of ${appDir} does not set extensions.durableTask.maxConcurrentActivityFunctions and maxConcurrentOrchestratorFunctions: ${durable.error.message}`,
    );
  }
  return durable.data.extensions.durableTask;
}

/** A temporary copy of the app with host.json's durable limits set to `concurrency`. */
export async function appDirWithConcurrency(
  concurrency: DurableConcurrency,
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-app-'));
  try {
    const hostJson = HostJsonSchema.parse(JSON.parse(await readFile(join(APP_DIR, 'host.json'), 'utf8')));
    const durableTask = { ...hostJson.extensions.durableTask, ...concurrency };
    const rewritten = { ...hostJson, extensions: { ...hostJson.extensions, durableTask } };
    await writeFile(join(dir, 'host.json'), `${JSON.stringify(rewritten, null, 2)}\n`);
    await copyFile(join(APP_DIR, 'package.json'), join(dir, 'package.json'));
    await symlink(join(APP_DIR, 'dist'), join(dir, 'dist'), 'dir');
    // The app resolves durable-handoff and its packages from the repository's node_modules.
    await symlink(join(PROJECT_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
