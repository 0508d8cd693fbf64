/**
 * Lists the HTTP requests of one `handoff` run of durable-handoff on the local host, in order, with
 * whose code sent them (the app's orchestrator, activities or HTTP functions, the host, the bench
 * client) and where they went: what the cost split's request counts are made of.
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/requests-per-run.ts --storage memory
 * ```
 */
import { URL } from 'node:url';
import { parseArgs } from 'node:util';
import { AppWorker } from '../../../dist/devhost/worker/app-worker.js';
import { runOursOnce } from '../frameworks/durable-handoff';
import { BENCH_API_KEY, BENCH_MODEL, startBenchModelServer } from '../model-server/bench-model-server';
import { startBenchAppHost } from '../ours/bench-app-host';
import { chargeAppWorker, runCharged, startCostAttribution } from '../ours/cost-attribution';
import { HANDOFF_SCENARIO } from '../scenario/scenarios';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { storage: { type: 'string', default: 'memory' } } });
  const storage = values.storage === 'azurite' ? 'azurite' : 'memory';
  chargeAppWorker(AppWorker as unknown as Parameters<typeof chargeAppWorker>[0]);
  const server = await startBenchModelServer();
  const model = { baseUrl: server.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL };
  const app = await startBenchAppHost({ storage, model, label: 'requests-per-run' });
  try {
    const run = () => runCharged('client', () => runOursOnce(app, HANDOFF_SCENARIO));
    await run();
    const lines: string[] = [];
    const attribution = startCostAttribution({
      modelPort: Number(new URL(model.baseUrl).port),
      hostPort: Number(new URL(app.api).port),
      onRequest: (area, kind, method, path) =>
        lines.push(`${area.padEnd(17)} ${kind.padEnd(8)} ${method.padEnd(6)} ${decodeURIComponent(path)}`),
    });
    await run();
    attribution.stop();
    console.log(lines.join('\n'));
  } finally {
    await app.stop();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
