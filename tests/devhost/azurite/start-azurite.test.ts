import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { processAlive, readAzuriteState, writeAzuriteState } from '../../../devhost/azurite/azurite-state';
import { startAzurite, type AzuriteHandle } from '../../../devhost/azurite/start-azurite';

const compiledLauncher = path.join(__dirname, '../../../dist/devhost/azurite/start-azurite.js');

/** Starts Azurite from a separate Node process, which is then killed with SIGKILL; returns Azurite's pid. */
async function startFromProcessThenKillIt(location: string, inMemory: boolean): Promise<number> {
  const starter = spawn(process.execPath, [
    '-e',
    `require(${JSON.stringify(compiledLauncher)})
      .startAzurite({ location: ${JSON.stringify(location)}, inMemory: ${inMemory} })
      .then((azurite) => { console.log('pid ' + azurite.pid); setInterval(() => {}, 60000); });`,
  ]);
  const exited = new Promise((resolve) => starter.on('exit', resolve));
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    starter.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /pid (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    starter.on('exit', () => reject(new Error(`the starter exited before Azurite was up: ${out}`)));
  });
  starter.kill('SIGKILL');
  await exited;
  return pid;
}

async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

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

  it('ends an in-memory Azurite when the process that started it dies, even by SIGKILL', async () => {
    expect(fs.existsSync(compiledLauncher)).toBe(true); // npm test builds dist/ first
    const pid = await startFromProcessThenKillIt(dir, true);
    await waitUntil(`the in-memory Azurite (pid ${pid}) to exit`, () => !processAlive(pid));
  }, 40_000);

  it('leaves an Azurite on disk running when the process that started it dies, for the next start to reuse', async () => {
    const pid = await startFromProcessThenKillIt(dir, false);
    try {
      expect(processAlive(pid)).toBe(true);
      const reused = await startAzurite({ location: dir, reuse: true });
      started.push(reused);
      expect(reused).toMatchObject({ reused: true, pid });
    } finally {
      if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 40_000);

  it('starts an in-memory Azurite that writes no data files', async () => {
    const azurite = await startAzurite({ location: dir, inMemory: true });
    started.push(azurite);
    const table = tableClient(azurite, 'Memory');
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    expect(fs.readdirSync(dir).sort()).toEqual(['azurite.json', 'azurite.log']);
  });
});
