/**
 * App cold start: the time to load every function module of the app, in fresh processes. Each
 * probe is a new plain `node` process (see `cold-start-probe.cjs`) that times `AppWorker.start`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { BenchError } from '../../bench-error';
import { summarize } from '../../measure/stats';
import { APP_DIR, benchAppSettings } from '../../ours/bench-app-host';
import type { OursOnlyMeasurement } from '../ours-only-measurement';

const run = promisify(execFile);

/** Fresh processes per measurement: at least 5, at most 20 (each takes about half a second). */
export function coldStartProbes(runs: number): number {
  return Math.max(5, Math.min(runs, 20));
}

const ProbeOutputSchema = z.object({
  startMs: z.number().positive(),
  functions: z.number().int().positive(),
  imports: z.array(z.tuple([z.string(), z.number()])),
});
/** What one probe reports. */
export type ProbeOutput = z.infer<typeof ProbeOutputSchema>;

/** Parses a probe's stdout: the app may print lines of its own before the probe's JSON line. */
export function parseProbeOutput(stdout: string): ProbeOutput {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return ProbeOutputSchema.parse(JSON.parse(last));
  } catch (error) {
    throw new BenchError(
      'framework_failed',
      `The cold-start probe printed no result line (${(error as Error).message}): ${stdout.slice(-300)}`,
    );
  }
}

/** `request ~median ms` for each package the app imports, slowest first. */
export function describeImports(probes: readonly ProbeOutput[]): string {
  const byRequest = new Map<string, number[]>();
  for (const probe of probes) {
    for (const [request, ms] of probe.imports)
      byRequest.set(request, [...(byRequest.get(request) ?? []), ms]);
  }
  return [...byRequest.entries()]
    .map(([request, times]) => [request, summarize(times).median] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([request, ms]) => `${request} ${ms.toFixed(0)}`)
    .join(', ');
}

async function probeOnce(): Promise<ProbeOutput> {
  const model = { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'bench-key', model: 'scripted-model' };
  const { stdout } = await run(process.execPath, [join(__dirname, 'cold-start-probe.cjs'), APP_DIR], {
    env: { ...process.env, ...benchAppSettings(model) },
    timeout: 60_000,
  });
  return parseProbeOutput(stdout);
}

/** The cold-start measurement. */
export const coldStart: OursOnlyMeasurement = {
  id: 'cold-start',
  title: 'app cold start (AppWorker.start in fresh processes)',
  async measure({ rounds, log }) {
    const probes: ProbeOutput[] = [];
    const count = coldStartProbes(rounds.runs);
    // One unrecorded probe first: the first process after a build also pays for the file cache.
    await probeOnce();
    for (let index = 0; index < count; index += 1) probes.push(await probeOnce());
    log(`  cold start: ${count} fresh processes`);
    return [
      {
        figure: 'cold_start_ms',
        framework: 'durable-handoff',
        samples: probes.map((probe) => probe.startMs),
        note: `AppWorker.start of the app (${probes[0]?.functions ?? 0} functions) in ${count} fresh node processes; first require of each package, median ms: ${describeImports(probes)}`,
      },
    ];
  },
};
