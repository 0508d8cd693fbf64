/**
 * The client-side CPU of one entity-group transaction of the run store's shape (an agent turn's
 * commit: a slot create, event rows and message rows), sent to Azurite (a child process, so its
 * own CPU is not counted) three ways, interleaved in blocks: the Azure Tables SDK's
 * `TableClient.submitTransaction`, the run store's `TableBatch` (azure-tables/table-batch.ts),
 * which builds the `$batch` request itself and sends it on the same client's pipeline, and the
 * same `TableBatch` on the local host engine's SAS transport (devhost/durable/store/
 * sas-table-transport.ts: Node's HTTP client, no pipeline).
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/table-transaction-cost.ts --transactions 400
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAzurite } from '../../../dist/devhost/durable/index.js';
import { sasTableTransport } from '../../../dist/devhost/durable/store/sas-table-transport.js';
import { sasTableClient } from '../../../dist/devhost/durable/store/table-sas-client.js';
import { TableBatch, type BatchOperation } from '../../../dist/azure-tables/table-batch.js';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage } from '../report/machine-info';

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
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { transactions: { type: 'string', default: '400' } } });
  const total = Number(values.transactions);
  const { TableClient } = createRequire(join(PROJECT_DIR, 'package.json'))('@azure/data-tables') as Tables;
  const location = mkdtempSync(join(tmpdir(), 'table-transaction-cost-'));
  const azurite = await startAzurite({ location, inMemory: true });
  const loadStart = loadAverage();
  try {
    const client = TableClient.fromConnectionString(azurite.connectionString, 'TransactionCost', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    const batch = new TableBatch(client, { allowInsecureConnection: true });
    const sas = sasTableClient(azurite.connectionString, client.url, client.tableName, {
      allowInsecureConnection: true,
    })!;
    const transport = sasTableTransport(() => sas.credential.signature);
    const sasBatch = new TableBatch(sas.client, { transport: transport.send });
    const ways = {
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
      'TableBatch.submit': async (ops: BatchOperation[]) => {
        await batch.submit(ops);
      },
      'TableBatch.submit, SAS transport': async (ops: BatchOperation[]) => {
        await sasBatch.submit(ops);
      },
    };
    const perBlock: Record<string, number[]> = Object.fromEntries(
      Object.keys(ways).map((name) => [name, []]),
    );
    let n = 0;
    // Warm-up: both ways, so module loading and JIT are out of the figures.
    for (const send of Object.values(ways))
      for (let i = 0; i < BLOCK; i += 1) await send(commitLike('warm', ++n));
    for (let done = 0; done < total; done += 2 * BLOCK) {
      for (const [name, send] of Object.entries(ways)) {
        const partition = `${name}-${done}`;
        const start = cpuMs();
        for (let i = 0; i < BLOCK; i += 1) await send(commitLike(partition, ++n));
        perBlock[name]!.push((cpuMs() - start) / BLOCK);
      }
    }
    for (const [name, blocks] of Object.entries(perBlock)) {
      console.log(
        `${name.padEnd(36)} client CPU per transaction: median ${median(blocks).toFixed(3)} ms (min ${Math.min(...blocks).toFixed(3)}, max ${Math.max(...blocks).toFixed(3)}) over ${blocks.length} blocks of ${BLOCK}`,
      );
    }
    console.log(`load average: ${loadStart.join(' ')} at the start, ${loadAverage().join(' ')} at the end`);
    transport.close();
  } finally {
    await azurite.stop();
    rmSync(location, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
