/**
 * The scripted model server as the bench uses it: one server for every framework, answered by the
 * support responder, with a latency the bench can change between phases, and a per-run account of
 * model requests and server time that fails loudly when a request went unanswered.
 */
import { startScriptedModelServer, type ScriptedModelServer } from '../../../src/testing';
import { BenchError } from '../bench-error';
import { createSupportResponder } from '../scenario/support-responder';
import { meterServerTime, type ServerTimeMeter } from './server-time-meter';

/** The model name every framework is configured with. */
export const BENCH_MODEL = 'scripted-model';
/** The API key every framework is configured with (the scripted server accepts any). */
export const BENCH_API_KEY = 'bench-key';

/** What the model server did for one run (or one batch of concurrent runs). */
export interface ModelServerUsage {
  /** Chat Completions requests answered. */
  modelRequests: number;
  /** Milliseconds spent inside the server on those requests (latency included), summed. */
  serverMs: number;
}

/** The running bench model server. */
export interface BenchModelServer {
  /** The OpenAI base URL, `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** Sets the latency of every following answer; 0 by default. */
  setLatency(ms: number): void;
  /**
   * What the server did since the previous call, then forgets it. Throws a `BenchError` when any
   * request was unexpected (the responder could not answer it), naming the requests.
   */
  takeUsage(): ModelServerUsage;
  close(): Promise<void>;
}

/**
 * Starts the bench model server on a free loopback port.
 *
 * @example
 * ```ts
 * const server = await startBenchModelServer();
 * try {
 *   // ...point a framework at server.baseUrl and run a scenario...
 *   const { modelRequests, serverMs } = server.takeUsage();
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export async function startBenchModelServer(): Promise<BenchModelServer> {
  let latencyMs = 0;
  const server = await startScriptedModelServer({
    responder: createSupportResponder({ latencyMs: () => latencyMs }),
    models: [BENCH_MODEL],
  });
  const meter = meterServerTime(server.port);
  return {
    baseUrl: server.baseUrl,
    setLatency(ms) {
      latencyMs = ms;
    },
    takeUsage: () => takeUsage(server, meter),
    async close() {
      meter.stop();
      await server.close();
    },
  };
}

function takeUsage(server: ScriptedModelServer, meter: ServerTimeMeter): ModelServerUsage {
  const failures = server.failures.map((failure) => failure.message);
  const modelRequests = server.requests.length;
  const time = meter.take();
  server.reset();
  if (failures.length > 0) {
    throw new BenchError(
      'unexpected_model_call',
      `the model server could not answer ${failures.length} request(s):\n  ${failures.join('\n  ')}`,
    );
  }
  return { modelRequests, serverMs: time.serverMs };
}
