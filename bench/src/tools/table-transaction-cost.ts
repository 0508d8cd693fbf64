/**
 * The client-side CPU of one entity-group transaction of the run store's shape (an agent turn's
 * commit: a slot create, event rows and message rows), sent to Azurite (a child process, so its
 * own CPU is not counted) in ways interleaved in blocks: the Azure Tables SDK's
 * `TableClient.submitTransaction`, and for each build the run store's `TableBatch`
 * (azure-tables/table-batch.ts), which builds the `$batch` request itself, and its `TableQuery`
 * reading a partition of 12 such rows (a status read's shape), both sent by `TableRequests`, and
 * (where the build has it) `TableBatch` on the local host engine's SAS transport
 * (devhost/durable/store/sas-table-transport.ts: Node's HTTP client, no pipeline).
 *
 * Each `--dist DIR` is a build of the app (its `dist/`; by default this checkout's). It must sit
 * where Node finds this checkout's `node_modules` (e.g. a copy of `dist/` under it), so every build
 * runs on the same SDK. With two or more, each block is also compared with the first build's block
 * of the same round (the load falls on both alike).
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/table-transaction-cost.ts --transactions 400 --dist ../node_modules/.ab/before --dist ../dist
 * ```
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startAzurite } from '../../../dist/devhost/durable/index.js';
import type { TableBatch, BatchOperation } from '../../../dist/azure-tables/table-batch.js';
import type { TableQuery } from '../../../dist/azure-tables/table-query.js';
import type { sasTableTransport } from '../../../dist/devhost/durable/store/sas-table-transport.js';
import type { sasTableClient } from '../../../dist/devhost/durable/store/table-sas-client.js';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage } from '../report/machine-info';
import { summarize } from '../measure/stats';

type Tables = typeof import('@azure/data-tables');

const BLOCK = 25;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A commit-shaped transaction: the turn's slot, 2 event rows and 3 message rows, about 3 KB. */
function commitLike(partitionKey: string, n: number): BatchOperation[] {
  const payload = (what: string) => ({ p0: JSON.stringify({ what, text: 'x'.repeat(400) }), chunks: 1 });
  return [
    {
      op: 'create',
      entity: {
        partitionKey,
        rowKey: `!turn-${String(n).padStart(10, '0')}`,
        state: 'committed',
        ...payload('slot'),
      },
    },
    {
      op: 'upsert',
      entity: {
        partitionKey,
        rowKey: `${String(2 * n).padStart(10, '0')}`,
        firstSeq: 2 * n,
        ...payload('events'),
      },
    },
    {
      op: 'upsert',
      entity: {
        partitionKey,
        rowKey: `${String(2 * n + 1).padStart(10, '0')}`,
        firstSeq: 2 * n + 1,
        ...payload('events'),
      },
    },
    ...[0, 1, 2].map((m): BatchOperation => ({
      op: 'upsert',
      entity: { partitionKey, rowKey: `!msg-${String(3 * n + m).padStart(10, '0')}`, ...payload('message') },
    })),
  ];
}

function median(values: number[]): number {
  return summarize(values).median;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      transactions: { type: 'string', default: '400' },
      dist: { type: 'string', multiple: true },
    },
  });
  const total = Number(values.transactions);
  const dists = (values.dist ?? [resolve(PROJECT_DIR, 'dist')]).map((dist) => resolve(dist));
  const { TableClient } = createRequire(join(PROJECT_DIR, 'package.json'))('@azure/data-tables') as Tables;
  const location = mkdtempSync(join(tmpdir(), 'table-transaction-cost-'));
  const azurite = await startAzurite({ location, inMemory: true });
  const loadStart = loadAverage();
  try {
    const client = TableClient.fromConnectionString(azurite.connectionString, 'TransactionCost', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    const read = 'status-read';
    const builds = dists.map((dist) => {
      const load = createRequire(resolve(dist, 'package.json'));
      const tables = {
        ...(load(resolve(dist, 'azure-tables/table-batch.js')) as { TableBatch: typeof TableBatch }),
        ...(load(resolve(dist, 'azure-tables/table-query.js')) as { TableQuery: typeof TableQuery }),
      };
      const options = { allowInsecureConnection: true };
      const transportFile = resolve(dist, 'devhost/durable/store/sas-table-transport.js');
      let sasBatch: TableBatch | undefined;
      if (existsSync(transportFile)) {
        const { sasTableTransport: transportOf } = load(transportFile) as {
          sasTableTransport: typeof sasTableTransport;
        };
        const { sasTableClient: sasClientOf } = load(
          resolve(dist, 'devhost/durable/store/table-sas-client.js'),
        ) as { sasTableClient: typeof sasTableClient };
        const sas = sasClientOf(azurite.connectionString, client.url, client.tableName, options);
        if (!sas) throw new Error("Azurite's connection string gave no account SAS");
        const transport = transportOf(() => sas.credential.signature);
        sasBatch = new tables.TableBatch(sas.client, { transport: transport.send });
      }
      return {
        dist,
        batch: new tables.TableBatch(client, options),
        query: new tables.TableQuery(client, options),
        sasBatch,
      };
    });
    // The status read's partition: 12 rows of the shapes a run writes.
    await builds[0]!.batch.submit([...commitLike(read, 0), ...commitLike(read, 1)]);
    const ways: Record<string, (ops: BatchOperation[]) => Promise<void>> = {
      'TableClient.submitTransaction': async (ops: BatchOperation[]) => {
        await client.submitTransaction(
          ops.map((op) =>
            op.op === 'delete'
              ? ['delete', op]
              : op.op === 'create'
                ? ['create', op.entity]
                : op.op === 'update'
                  ? ['update', op.entity, 'Replace', { etag: op.etag }]
                  : ['upsert', op.entity, 'Replace'],
          ),
        );
      },
    };
    for (const { dist, batch, query, sasBatch } of builds) {
      ways[`TableBatch.submit (${dist})`] = async (ops) => {
        await batch.submit(ops);
      };
      if (sasBatch)
        ways[`TableBatch.submit on the SAS transport (${dist})`] = async (ops) => {
          await sasBatch.submit(ops);
        };
      ways[`TableQuery.pages (${dist})`] = async () => {
        for await (const page of query.pages(`PartitionKey eq '${read}'`)) {
          if (page.length !== 12)
            throw new Error(`the status-read partition answered ${page.length} rows, not 12`);
        }
      };
    }
    const perBlock: Record<string, number[]> = Object.fromEntries(
      Object.keys(ways).map((name) => [name, []]),
    );
    let n = 0;
    // Warm-up: every way, so module loading and JIT are out of the figures.
    for (const send of Object.values(ways))
      for (let i = 0; i < BLOCK; i += 1) await send(commitLike('warm', ++n));
    // Each way sends `total` requests, in blocks of BLOCK, the ways taking turns.
    for (let done = 0; done < total; done += BLOCK) {
      for (const [index, [name, send]] of Object.entries(ways).entries()) {
        const partition = `way${index}-${done}`;
        const start = cpuMs();
        for (let i = 0; i < BLOCK; i += 1) await send(commitLike(partition, ++n));
        perBlock[name]!.push((cpuMs() - start) / BLOCK);
      }
    }
    for (const [name, blocks] of Object.entries(perBlock)) {
      // Against the first build's way of the same kind in the same round.
      const first = name.replace(/\(.*\)$/, `(${dists[0]!})`);
      const paired =
        first === name || !perBlock[first]
          ? ''
          : `, ${median(blocks.map((ms, round) => ms / perBlock[first]![round]!)).toFixed(2)}x the first build's (median of paired blocks)`;
      console.log(
        `${name}: client CPU per request median ${median(blocks).toFixed(3)} ms (min ${Math.min(...blocks).toFixed(3)}, max ${Math.max(...blocks).toFixed(3)}) over ${blocks.length} blocks of ${BLOCK}${paired}`,
      );
    }
    console.log(`load average: ${loadStart.join(' ')} at the start, ${loadAverage().join(' ')} at the end`);
  } finally {
    await azurite.stop();
    rmSync(location, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
