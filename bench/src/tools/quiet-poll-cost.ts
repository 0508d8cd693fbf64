/**
 * What the event stream costs while a run waits for a human: starts the app on the local host in
 * this process (memory storage), starts a human_in_loop run that asks a question, opens its SSE
 * stream and, for `--seconds`, counts every HTTP request this process makes (the app's reads of the
 * run store in Azurite, its status reads through the Durable management API) with their response
 * bytes. Polls are counted by the stream's reads of the events table (one per poll).
 *
 * @example
 * ```sh
 * npm run build && cd bench && node --import tsx src/tools/quiet-poll-cost.ts --seconds 10
 * ```
 */
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';
import { startScriptedModelServer } from '../../../src/testing';
import { BENCH_API_KEY, BENCH_MODEL } from '../model-server/bench-model-server';
import { startBenchAppHost } from '../ours/bench-app-host';

interface Tally {
  requests: number;
  bytes: number;
}

function kindOf(request: ClientRequest): string {
  const path = request.path;
  // `/runtime/webhooks/durabletask/...` on Azure, `/durabletask/...` on the local host.
  if (path.includes('/durabletask/instances/')) return 'status read (management API)';
  const table = /^\/[^/]+\/([A-Za-z0-9]+)\(/.exec(path)?.[1] ?? /^\/([A-Za-z0-9]+)\(/.exec(path)?.[1];
  if (table) return `table query ${table}`;
  return `other ${request.method} ${path.split('?')[0]}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '10' }, 'poll-ms': { type: 'string', default: '100' } },
  });
  const seconds = Number(values.seconds);
  // The stream's poll interval (it stretches up to 8x while the run stays quiet).
  process.env.DURABLE_HANDOFF_SSE_POLL_MS = String(values['poll-ms']);
  const model = await startScriptedModelServer({
    steps: [{ agent: 'coordinator_agent', repeat: true, reply: { text: 'What is your order number?' } }],
    models: [BENCH_MODEL],
  });
  const app = await startBenchAppHost({
    storage: 'memory',
    model: { baseUrl: model.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL },
    label: 'quiet-poll-cost',
  });
  const tallies = new Map<string, Tally>();
  let counting = false;
  const onResponse = (message: unknown): void => {
    if (!counting) return;
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const kind = kindOf(request);
    const tally = tallies.get(kind) ?? { requests: 0, bytes: 0 };
    tally.requests += 1;
    tallies.set(kind, tally);
    // The body's bytes as the HTTP parser hands them over, whoever reads them and however.
    const push = response.push.bind(response);
    response.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
      if (counting && (typeof chunk === 'string' || Buffer.isBuffer(chunk)))
        tally.bytes += Buffer.byteLength(chunk);
      return push(chunk, encoding);
    };
  };
  diagnostics.subscribe('http.client.response.finish', onResponse);
  try {
    const started = await fetch(`${app.api}/workflows/customer_support/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Hello', mode: 'human_in_loop' }),
    });
    const run = (await started.json()) as { runId: string; token: string };
    const auth = { authorization: `Bearer ${run.token}` };
    for (const deadline = Date.now() + 30_000; ;) {
      const status = await fetch(`${app.api}/workflows/customer_support/status/${run.runId}`, {
        headers: auth,
      });
      if (((await status.json()) as { state: string }).state === 'awaiting_input') break;
      if (Date.now() > deadline) throw new Error('the run never asked for input');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stream = await fetch(`${app.api}/workflows/customer_support/events/${run.runId}`, {
      headers: { ...auth, accept: 'text/event-stream' },
    });
    const reader = stream.body!.getReader();
    // Let the stream send the backlog, then count only the quiet polls.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    counting = true;
    const reading = (async () => {
      for (;;) if ((await reader.read()).done) return;
    })();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    counting = false;
    await reader.cancel();
    await reading.catch(() => undefined);
    const polls = [...tallies].find(([kind]) => kind.endsWith('Events'))?.[1].requests ?? 0;
    console.log(`quiet polls in ${seconds} s: ${polls}`);
    let requests = 0;
    let bytes = 0;
    for (const [kind, tally] of [...tallies].sort()) {
      requests += tally.requests;
      bytes += tally.bytes;
      console.log(
        `  ${kind}: ${tally.requests} requests, ${tally.bytes} response bytes` +
          (polls > 0
            ? ` (${(tally.requests / polls).toFixed(2)} and ${(tally.bytes / polls).toFixed(0)} per poll)`
            : ''),
      );
    }
    if (polls > 0) {
      console.log(
        `per quiet poll: ${(requests / polls).toFixed(2)} requests, ${(bytes / polls).toFixed(0)} response bytes`,
      );
    }
  } finally {
    diagnostics.unsubscribe('http.client.response.finish', onResponse);
    await app.stop();
    await model.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
