import path from 'node:path';
import type { LogEntry } from '../../../devhost/log';
import { AppWorker } from '../../../devhost/worker/app-worker';

const appDir = path.join(__dirname, '../../fixtures/apps/worker-basics');

function httpInput(method: string, url: string, params: Record<string, string>, body?: string) {
  return {
    name: 'request',
    data: {
      http: {
        method,
        url,
        headers: { 'content-type': 'text/plain' },
        params,
        query: Object.fromEntries(new URL(url).searchParams),
        ...(body === undefined ? {} : { body: { bytes: Buffer.from(body) } }),
      },
    },
  };
}

function bodyOf(returnValue: unknown): unknown {
  const http = (returnValue as { http: { body: { bytes: Uint8Array } } }).http;
  return JSON.parse(Buffer.from(http.body.bytes).toString('utf8'));
}

describe('AppWorker', () => {
  const logs: LogEntry[] = [];
  let worker: AppWorker;

  beforeAll(async () => {
    worker = await AppWorker.start({ appDir, log: (entry) => logs.push(entry) });
  });
  afterAll(async () => {
    await worker.terminate();
  });

  it('loads every entry file matched by the package.json main glob and registers their functions', () => {
    expect(
      worker
        .list()
        .map((f) => f.name)
        .sort(),
    ).toEqual(['boom', 'echoGeneric', 'hello', 'second']);
    const hello = worker.get('hello')!;
    expect(hello.triggerType).toBe('httpTrigger');
    expect(hello.bindings[hello.triggerBindingName]).toMatchObject({
      route: 'hello/{name}',
      authLevel: 'anonymous',
    });
  });

  it('invokes an HTTP function through the app library, with hooks, and returns the RPC http response', async () => {
    const trigger = worker.get('hello')!.triggerBindingName;
    const input = httpInput('POST', 'http://localhost:7071/api/hello/ada?q=1', { name: 'ada' }, 'payload');
    const outcome = await worker.invoke('hello', [{ ...input, name: trigger }]);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const http = (outcome.returnValue as { http: { statusCode: string; headers: Record<string, string> } })
      .http;
    expect(http.statusCode).toBe('201');
    expect(http.headers['x-greeting']).toBe('yes');
    expect(bodyOf(outcome.returnValue)).toEqual({ name: 'ada', q: '1', body: 'payload', seen: ['appStart'] });
    expect(
      logs.some((l) => l.category === 'user' && l.message === 'hello ada' && l.functionName === 'hello'),
    ).toBe(true);
  });

  it('runs postInvocation hooks after each invocation, failed ones included', async () => {
    const boomTrigger = worker.get('boom')!.triggerBindingName;
    const failed = await worker.invoke('boom', [
      { ...httpInput('GET', 'http://localhost:7071/api/boom', {}), name: boomTrigger },
    ]);
    expect(failed).toEqual({ ok: false, error: expect.objectContaining({ message: 'kaboom' }) });

    const trigger = worker.get('hello')!.triggerBindingName;
    const outcome = await worker.invoke('hello', [
      { ...httpInput('GET', 'http://localhost:7071/api/hello/bob', { name: 'bob' }), name: trigger },
    ]);
    expect(outcome.ok && (bodyOf(outcome.returnValue) as { seen: string[] }).seen).toEqual(
      expect.arrayContaining(['hello:ok', 'boom:failed']),
    );
  });

  it('returns the value of a non-HTTP trigger as returnValue, as Durable relies on', async () => {
    const trigger = worker.get('echoGeneric')!.triggerBindingName;
    const outcome = await worker.invoke('echoGeneric', [
      { name: trigger, data: { json: JSON.stringify({ a: 1 }) } },
    ]);
    expect(outcome).toEqual({ ok: true, returnValue: { json: JSON.stringify({ echoed: { a: 1 } }) } });
  });

  it('rejects an unknown function with the list of registered ones', async () => {
    await expect(worker.invoke('nope', [])).rejects.toThrow(/No function named "nope"\. Registered: /);
  });

  it('loads a second, independent copy of the same app in the same process', async () => {
    const other = await AppWorker.start({ appDir, log: () => undefined });
    try {
      expect(other.list()).toHaveLength(4);
      const trigger = other.get('hello')!.triggerBindingName;
      const outcome = await other.invoke('hello', [
        { ...httpInput('GET', 'http://localhost:7071/api/hello/x', { name: 'x' }), name: trigger },
      ]);
      // A fresh module instance: the first copy's hook state is not shared.
      expect(outcome.ok && (bodyOf(outcome.returnValue) as { seen: string[] }).seen).toEqual(['appStart']);
    } finally {
      await other.terminate();
    }
  });

  it('fails to start with the worker wording when main matches no file', async () => {
    await expect(
      AppWorker.start({ appDir: path.join(appDir, 'functions'), log: () => undefined }),
    ).rejects.toThrow(/Worker was unable to load entry point "index.js": File does not exist/);
  });
});
