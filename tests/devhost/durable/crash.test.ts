import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type AzuriteHandle } from '../../../devhost/durable';
import { startChildHost, type ChildHost } from './support/child-host';
import { waitUntil } from './support/wait-until';

const API = '/runtime/webhooks/durabletask';

async function post(host: ChildHost, route: string, body: unknown): Promise<number> {
  const response = await fetch(`${host.origin}${API}/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

async function status(
  host: ChildHost,
  id: string,
): Promise<{ runtimeStatus?: string; output?: unknown; historyEvents?: Array<{ EventType: string }> }> {
  const response = await fetch(`${host.origin}${API}/instances/${id}?showHistory=true`);
  return response.status === 404 ? {} : ((await response.json()) as { runtimeStatus: string });
}

function count(lines: string[], line: string): number {
  return lines.filter((l) => l === line).length;
}

describe('crash recovery (host SIGKILLed, restarted on the same Azurite data folder)', () => {
  let dir: string;
  let azurite: AzuriteHandle | undefined;
  const hosts: ChildHost[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-crash-'));
    azurite = await startAzurite({ location: dir });
  });

  afterAll(async () => {
    for (const host of hosts) await host.kill('SIGTERM');
    await azurite?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes both instances after a SIGKILL: completed activities run once, the in-flight one at most twice', async () => {
    const steps = path.join(dir, 'steps.log');
    const lines = (): string[] =>
      fs.existsSync(steps) ? fs.readFileSync(steps, 'utf8').trim().split('\n') : [];

    const first = await startChildHost(dir);
    hosts.push(first);
    expect(await post(first, 'orchestrators/crashChain/crash-chain', { file: steps })).toBe(202);
    expect(await post(first, 'orchestrators/crashWaiter/crash-waiter', { file: steps })).toBe(202);
    await waitUntil('the blocking activity to start', lines, (l) => l.includes('crash-chain:blocking:start'));
    await waitUntil(
      'the waiter to record its first activity and wait',
      () => status(first, 'crash-waiter'),
      (s) => (s.historyEvents ?? []).some((e) => e.EventType === 'TaskCompleted'),
    );

    await first.kill('SIGKILL');
    expect(lines()).not.toContain('crash-chain:blocking:end');

    const second = await startChildHost(dir);
    hosts.push(second);
    expect(second.port).not.toBe(first.port);
    fs.writeFileSync(`${steps}.release`, 'go');
    expect(await post(second, 'instances/crash-waiter/raiseEvent/go', 'after restart')).toBe(202);

    const done = (s: { runtimeStatus?: string }): boolean => s.runtimeStatus === 'Completed';
    expect(await waitUntil('the chain to complete', () => status(second, 'crash-chain'), done)).toMatchObject(
      {
        output: 'chain done',
      },
    );
    expect(
      await waitUntil('the waiter to complete', () => status(second, 'crash-waiter'), done),
    ).toMatchObject({
      output: { go: 'after restart' },
    });

    const log = lines();
    expect(count(log, 'crash-chain:first:start')).toBe(1);
    expect(count(log, 'crash-waiter:first:start')).toBe(1);
    expect(count(log, 'crash-chain:blocking:start')).toBeGreaterThanOrEqual(1);
    expect(count(log, 'crash-chain:blocking:start')).toBeLessThanOrEqual(2);
    expect(count(log, 'crash-chain:blocking:end')).toBe(1);
    expect(count(log, 'crash-chain:last:start')).toBe(1);
    expect(count(log, 'crash-waiter:after-event:start')).toBe(1);
  });
});
