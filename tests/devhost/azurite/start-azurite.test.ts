import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { processAlive, readAzuriteState, writeAzuriteState } from '../../../devhost/azurite/azurite-state';
import { startAzurite, type AzuriteHandle } from '../../../devhost/azurite/start-azurite';

function tableClient(azurite: AzuriteHandle, table: string): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
}

describe('startAzurite', () => {
  let dir: string;
  const started: AzuriteHandle[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-test-'));
  });

  afterEach(async () => {
    for (const handle of started.splice(0)) await handle.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts Azurite on free ports, records it in azurite.json and serves Table storage', async () => {
    const azurite = await startAzurite({ location: dir });
    started.push(azurite);
    expect(readAzuriteState(dir)).toMatchObject({
      pid: azurite.pid,
      tablePort: azurite.tablePort,
      inMemory: false,
    });
    const table = tableClient(azurite, 'Probe');
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', value: 'stored' });
    expect((await table.getEntity<{ value: string }>('p', 'r')).value).toBe('stored');
  });

  it('reconnects to the live Azurite of a data folder instead of starting a second one', async () => {
    const first = await startAzurite({ location: dir });
    started.push(first);
    const second = await startAzurite({ location: dir, reuse: true });
    expect(second).toMatchObject({ reused: true, pid: first.pid, tablePort: first.tablePort });
  });

  it('keeps data a clean stop flushed when Azurite starts again on the same folder', async () => {
    const first = await startAzurite({ location: dir });
    const table = tableClient(first, 'Durable');
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', value: 'survives' });
    await first.stop();
    expect(processAlive(first.pid)).toBe(false);
    expect(readAzuriteState(dir)).toBeUndefined();

    const second = await startAzurite({ location: dir, reuse: true });
    started.push(second);
    expect(second.reused).toBe(false);
    const entity = await tableClient(second, 'Durable').getEntity<{ value: string }>('p', 'r');
    expect(entity.value).toBe('survives');
  });

  it('starts its own Azurite when azurite.json names a live process that is not Azurite, leaving it alone', async () => {
    writeAzuriteState(dir, { pid: process.pid, blobPort: 1, queuePort: 2, tablePort: 3, inMemory: false });
    const azurite = await startAzurite({ location: dir, reuse: true });
    started.push(azurite);
    expect(azurite.reused).toBe(false);
    expect(azurite.pid).not.toBe(process.pid);
    expect(readAzuriteState(dir)?.pid).toBe(azurite.pid);
  });

  it('starts an in-memory Azurite that writes no data files', async () => {
    const azurite = await startAzurite({ location: dir, inMemory: true });
    started.push(azurite);
    const table = tableClient(azurite, 'Memory');
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    expect(fs.readdirSync(dir).sort()).toEqual(['azurite.json', 'azurite.log']);
  });
});
