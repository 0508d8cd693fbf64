/**
 * Azurite's own CPU per Table request, by the request's shape: an in-memory Azurite (as
 * `--storage memory` starts it) is sent blocks of requests of each shape in turn, and its process's
 * CPU (every thread's, from `/proc/<pid>/task/<tid>/schedstat`, nanoseconds) is read before and
 * after each block. The shapes vary one thing at a time from an agent turn's commit as the run store
 * sends it (4 creates and 3 upserts, about 6.4 KB): operations per transaction, create against
 * upsert, entity size, the sub-requests' headers, and a single-entity request without `$batch`.
 * Linux only (it reads /proc).
 *
 * Requests go on a `TableClient` made from Azurite's connection string (shared key, as the app's
 * own storage is reached locally), through the run store's `TableRequests`, `--concurrency` at a
 * time, so Azurite's per-request work is measured under the overlap a batch of runs gives it.
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/azurite-request-cost.ts --requests 600 --concurrency 8
 * ```
 * With `--shape TEXT`, only the shapes whose names contain TEXT; with `--prefill N`, N rows are
 * stored in the table first, as a long session leaves them. Azurite inherits `NODE_OPTIONS`,
 * so its Node flags can be compared by running the tool with and without them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startAzurite } from '../../../dist/devhost/durable/index.js';
import { TableRequests } from '../../../dist/azure-tables/table-request.js';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage } from '../report/machine-info';
import { summarize } from '../measure/stats';
import { processThreads } from '../measure/thread-usage';

type Tables = typeof import('@azure/data-tables');

const CRLF = '\r\n';
const BLOCK = 50;

/** Azurite's CPU so far, ms: all its threads. */
function azuriteCpuMs(pid: number): number {
  const threads = processThreads(pid);
  if (!threads) throw new Error(`Azurite (pid ${pid}) is gone`);
  return threads.threads.reduce((sum, thread) => sum + thread.cpuMs, 0);
}

type Op = 'create' | 'upsert';
interface Entity {
  PartitionKey: string;
  RowKey: string;
  [name: string]: string | number;
}
interface Shape {
  ops: { op: Op; entity: Entity }[];
  /** Sub-request headers: as the run store writes them, or only what a sub-request needs. */
  headers: 'as-sent' | 'minimal';
}

/** A JSON payload property of about `bytes` characters, as the run store's `p0`. */
function payload(bytes: number): string {
  return JSON.stringify({ type: 'agent_response', text: 'x'.repeat(Math.max(0, bytes - 40)), seq: 7 });
}

/** An agent turn's commit: slot, step, event row and input event row (creates), 3 rows upserted. */
function commitOps(partitionKey: string, n: number, scale: number): Shape['ops'] {
  const key = (k: number) => String(k).padStart(10, '0');
  const row = (rowKey: string, extra: Record<string, string | number>, bytes: number): Entity => ({
    PartitionKey: partitionKey,
    RowKey: rowKey,
    ...extra,
    p0: payload(Math.round(bytes * scale)),
    chunks: 1,
  });
  return [
    { op: 'create', entity: row(`!turn-${key(n)}`, { state: 'committed' }, 700) },
    { op: 'create', entity: row(`!turn-${key(n)}-m001`, { recordedAt: new Date().toISOString() }, 500) },
    { op: 'upsert', entity: row(key(2 * n + 1), { firstSeq: 2 * n + 1 }, 900) },
    { op: 'create', entity: row(key(2 * n), { firstSeq: 2 * n }, 900) },
    { op: 'upsert', entity: row(`!msg-${key(3 * n)}`, {}, 80) },
    { op: 'upsert', entity: row(`!msg-${key(3 * n + 1)}`, {}, 200) },
    { op: 'upsert', entity: row(`!msg-${key(3 * n + 2)}`, {}, 200) },
  ];
}

function literal(key: string): string {
  return encodeURIComponent(key.replace(/'/g, "''"));
}

/** The `$batch` body, written as azure-tables/table-batch.ts writes it (or with minimal headers). */
function batchBody(tableUrl: string, shape: Shape): { boundary: string; body: string } {
  const batch = `batch_${randomUUID()}`;
  const changeset = `changeset_${randomUUID()}`;
  let body = `--${batch}${CRLF}content-type: multipart/mixed; boundary=${changeset}${CRLF}${CRLF}`;
  for (const { op, entity } of shape.ops) {
    body += `--${changeset}${CRLF}content-type: application/http${CRLF}content-transfer-encoding: binary${CRLF}${CRLF}`;
    const json = JSON.stringify(entity);
    if (op === 'create') {
      body +=
        shape.headers === 'as-sent'
          ? `POST ${tableUrl} HTTP/1.1${CRLF}Content-Type: application/json;odata=nometadata${CRLF}Accept: application/json;odata=minimalmetadata${CRLF}DataServiceVersion: 3.0${CRLF}Prefer: return-no-content${CRLF}${CRLF}${json}${CRLF}`
          : `POST ${tableUrl} HTTP/1.1${CRLF}Content-Type: application/json${CRLF}Prefer: return-no-content${CRLF}${CRLF}${json}${CRLF}`;
    } else {
      const address = `${tableUrl}(PartitionKey='${literal(entity.PartitionKey)}',RowKey='${literal(entity.RowKey)}')`;
      body +=
        shape.headers === 'as-sent'
          ? `PUT ${address} HTTP/1.1${CRLF}Content-Type: application/json${CRLF}Accept: application/json${CRLF}DataServiceVersion: 3.0${CRLF}${CRLF}${json}${CRLF}`
          : `PUT ${address} HTTP/1.1${CRLF}Content-Type: application/json${CRLF}${CRLF}${json}${CRLF}`;
    }
  }
  body += `--${changeset}--${CRLF}--${batch}--${CRLF}`;
  return { boundary: batch, body };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '600' },
      concurrency: { type: 'string', default: '8' },
      // Only the shapes whose names contain this text (e.g. 'as sent'); all by default.
      shape: { type: 'string' },
      // Rows stored in the table before measuring (in partitions of 100), as a long session leaves.
      prefill: { type: 'string', default: '0' },
    },
  });
  const total = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const { TableClient } = createRequire(join(PROJECT_DIR, 'package.json'))('@azure/data-tables') as Tables;
  const location = mkdtempSync(join(tmpdir(), 'azurite-request-cost-'));
  const azurite = await startAzurite({ location, inMemory: true });
  const loadStart = loadAverage();
  try {
    const client = TableClient.fromConnectionString(azurite.connectionString, 'RequestCost', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    const requests = new TableRequests(client, { allowInsecureConnection: true });
    const tableUrl = `${requests.base}/${client.tableName}`;
    const sendBatch = async (shape: Shape): Promise<void> => {
      const { boundary, body } = batchBody(tableUrl, shape);
      const { response } = await requests.send(
        'POST',
        `${requests.base}/$batch`,
        {
          Accept: 'application/json',
          DataServiceVersion: '3.0;',
          MaxDataServiceVersion: '3.0;NetFx',
          'Content-Type': `multipart/mixed; boundary=${boundary}`,
          'Accept-Charset': 'UTF-8',
        },
        body,
      );
      const text = response.bodyAsText ?? '';
      if (response.status !== 202 || /HTTP\/1\.1 [345]\d\d/.test(text))
        throw new Error(`a batch failed (${response.status}): ${text.slice(0, 600)}`);
    };
    let n = 0;
    const partition = () => `${randomUUID()}.run`;
    const allShapes: Record<string, () => Promise<void>> = {
      'turn commit as sent (4 creates + 3 upserts, ~6.4 KB)': () =>
        sendBatch({ ops: commitOps(partition(), ++n, 1), headers: 'as-sent' }),
      'the same, sub-requests with minimal headers': () =>
        sendBatch({ ops: commitOps(partition(), ++n, 1), headers: 'minimal' }),
      'the same 7 rows, all upserts': () =>
        sendBatch({
          ops: commitOps(partition(), ++n, 1).map(({ entity }) => ({ op: 'upsert' as const, entity })),
          headers: 'as-sent',
        }),
      'the same 7 rows, all creates': () =>
        sendBatch({
          ops: commitOps(partition(), ++n, 1).map(({ entity }) => ({ op: 'create' as const, entity })),
          headers: 'as-sent',
        }),
      'the same 7 rows, payloads 1/10 the size': () =>
        sendBatch({ ops: commitOps(partition(), ++n, 0.1), headers: 'as-sent' }),
      'the same 7 rows, payloads 4x the size': () =>
        sendBatch({ ops: commitOps(partition(), ++n, 4), headers: 'as-sent' }),
      'two turns in one transaction (14 rows)': () => {
        const p = partition();
        return sendBatch({ ops: [...commitOps(p, ++n, 1), ...commitOps(p, ++n, 1)], headers: 'as-sent' });
      },
      'one row (the slot) in a transaction': () =>
        sendBatch({ ops: commitOps(partition(), ++n, 1).slice(0, 1), headers: 'as-sent' }),
      'one row (the slot), an insert without $batch': async () => {
        const { entity } = commitOps(partition(), ++n, 1)[0]!;
        const { response } = await requests.send(
          'POST',
          tableUrl,
          {
            Accept: 'application/json;odata=minimalmetadata',
            'Content-Type': 'application/json',
            DataServiceVersion: '3.0',
            Prefer: 'return-no-content',
          },
          JSON.stringify(entity),
        );
        if (response.status !== 204) throw new Error(`an insert failed (${response.status})`);
      },
    };
    const shapes = Object.fromEntries(
      Object.entries(allShapes).filter(([name]) => values.shape === undefined || name.includes(values.shape)),
    );
    if (Object.keys(shapes).length === 0) throw new Error(`no shape's name contains '${values.shape}'`);
    const run = async (send: () => Promise<void>, count: number): Promise<void> => {
      let left = count;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (left > 0) {
            left -= 1;
            await send();
          }
        }),
      );
    };
    const prefill = Number(values.prefill);
    for (let stored = 0; stored < prefill; stored += 100) {
      const p = partition();
      const ops = Array.from({ length: Math.min(100, prefill - stored) }, (_, i) => ({
        op: 'create' as const,
        entity: { PartitionKey: p, RowKey: String(i).padStart(10, '0'), p0: payload(300), chunks: 1 },
      }));
      await sendBatch({ ops, headers: 'as-sent' });
    }
    // Warm-up: Azurite's JIT and this process's, every shape.
    for (const send of Object.values(shapes)) await run(send, BLOCK * 2);
    const perBlock: Record<string, number[]> = Object.fromEntries(Object.keys(shapes).map((k) => [k, []]));
    for (let done = 0; done < total; done += BLOCK) {
      for (const [name, send] of Object.entries(shapes)) {
        const before = azuriteCpuMs(azurite.pid);
        await run(send, BLOCK);
        perBlock[name]!.push((azuriteCpuMs(azurite.pid) - before) / BLOCK);
      }
    }
    const first = Object.keys(shapes)[0]!;
    for (const [name, blocks] of Object.entries(perBlock)) {
      const ratio = summarize(blocks.map((ms, round) => ms / perBlock[first]![round]!)).median;
      console.log(
        `${name.padEnd(56)} Azurite CPU per request median ${summarize(blocks).median.toFixed(3)} ms (p10 ${summarize(blocks).p10.toFixed(3)}, p90 ${summarize(blocks).p90.toFixed(3)}), ${ratio.toFixed(2)}x the first (paired blocks)`,
      );
    }
    console.log(
      `${total} requests per shape in blocks of ${BLOCK}, ${concurrency} at a time, ${prefill} rows stored first; load average ${loadStart.join(' ')} at the start, ${loadAverage().join(' ')} at the end`,
    );
  } finally {
    await azurite.stop();
    rmSync(location, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
