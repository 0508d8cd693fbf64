/**
 * Counts the socket writes of one `handoff` run of durable-handoff on the local host, per
 * connection end: every loopback write wakes the reader and costs both sides a system call, so a
 * hop that sends a message in several writes costs more than one that sends it in one. Each
 * `net.Socket` write that reaches the handle (`_writeGeneric`: one `write`/`writev` call, corked
 * chunks together) is counted in this process (the app, the local host, the bench client and the
 * model server), keyed by the server port: `client -> PORT` for a connection this process opened,
 * `PORT answers` for one it accepted. Prints writes per run, averaged over the measured runs.
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/socket-writes-per-run.ts --storage azurite --runs 20
 * ```
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import { runOursOnce } from '../frameworks/durable-handoff';
import { BENCH_API_KEY, BENCH_MODEL, startBenchModelServer } from '../model-server/bench-model-server';
import { startBenchAppHost } from '../ours/bench-app-host';
import { HANDOFF_SCENARIO } from '../scenario/scenarios';

type CountedSocket = net.Socket & { server?: unknown; _writeGeneric: (...args: unknown[]) => unknown };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      storage: { type: 'string', default: 'memory' },
      runs: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '10' },
    },
  });
  const storage = values.storage === 'azurite' ? 'azurite' : 'memory';
  const runs = Number(values.runs);
  const counts = new Map<string, number>();
  let counting = false;
  const proto = net.Socket.prototype as unknown as CountedSocket;
  const write = proto._writeGeneric;
  proto._writeGeneric = function countedWrite(this: CountedSocket, ...args: unknown[]) {
    if (counting) {
      const key = this.server ? `${this.localPort} answers` : `client -> ${this.remotePort}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return write.apply(this, args);
  };
  const server = await startBenchModelServer();
  const app = await startBenchAppHost({
    storage,
    model: { baseUrl: server.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL },
    label: 'socket-writes-per-run',
  });
  try {
    for (let i = 0; i < Number(values.warmup); i += 1) await runOursOnce(app, HANDOFF_SCENARIO);
    counting = true;
    for (let i = 0; i < runs; i += 1) await runOursOnce(app, HANDOFF_SCENARIO);
    counting = false;
    const names = new Map([
      [new URL(app.api).port, 'the front door'],
      [new URL(server.baseUrl).port, 'the model server'],
    ]);
    let total = 0;
    console.log(`socket writes per handoff run, ${storage} storage, ${runs} runs`);
    for (const [key, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
      const port = /\d+/.exec(key)?.[0] ?? '';
      const name = names.get(port);
      console.log(`${(count / runs).toFixed(2).padStart(7)}  ${key}${name ? ` (${name})` : ''}`);
      total += count;
    }
    console.log(`${(total / runs).toFixed(2).padStart(7)}  in all`);
  } finally {
    proto._writeGeneric = write;
    await app.stop();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
