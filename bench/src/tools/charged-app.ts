/**
 * The set-up of the tools that attribute cost to the app: the local host's app worker charged
 * to the app's areas, the bench model server, and the app on the local host in this process, with
 * the classifier that tells their requests apart. Everything is stopped once the tool's work settles.
 */
import { URL } from 'node:url';
import { AppWorker } from '../../../dist/devhost/worker/app-worker.js';
import type { ModelEndpoint } from '../frameworks/framework-under-test';
import { BENCH_API_KEY, BENCH_MODEL, startBenchModelServer } from '../model-server/bench-model-server';
import { rpcPortOf, startBenchAppHost, type BenchAppHost, type OursStorage } from '../ours/bench-app-host';
import { chargeAppWorker, type RequestClassifier } from '../ours/cost-attribution';

/** What a tool's work gets besides the app. */
export interface ChargedAppContext {
  model: ModelEndpoint;
  /** The model server's and the host's ports, for `startCostAttribution`. */
  classify: RequestClassifier;
}

/** Starts the model server and the app (`label` names it in error lines), runs `work`, stops both. */
export async function withChargedApp<T>(
  options: { storage: OursStorage; label: string },
  work: (app: BenchAppHost, context: ChargedAppContext) => Promise<T>,
): Promise<T> {
  chargeAppWorker(AppWorker as unknown as Parameters<typeof chargeAppWorker>[0]);
  const server = await startBenchModelServer();
  try {
    const model = { baseUrl: server.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL };
    const app = await startBenchAppHost({ storage: options.storage, model, label: options.label });
    try {
      const classify = {
        modelPort: Number(new URL(model.baseUrl).port),
        hostPort: Number(new URL(app.api).port),
        rpcPort: rpcPortOf(app),
      };
      return await work(app, { model, classify });
    } finally {
      await app.stop();
    }
  } finally {
    await server.close();
  }
}
