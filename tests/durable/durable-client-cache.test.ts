import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvocationContext } from '@azure/functions';
import { clientBindingPayload } from '../../devhost/durable/management/management-urls';
import { durableClient } from '../../src/durable/durable-functions-sdk';
import { durableClientInput } from '../../src/functions/durable-bindings';

/** An invocation whose durableClient input carries the client data of a host at `origin`. */
function invocation(
  origin: string,
  hub = 'Hub',
  edit: (data: { managementUrls: Record<string, string> }) => void = () => {},
): InvocationContext {
  const input = durableClientInput();
  const context = new InvocationContext({
    functionName: 'startRun',
    options: { trigger: { type: 'httpTrigger', name: 'request' }, extraInputs: [input], extraOutputs: [] },
  });
  // As @azure/functions hands it over: the host's JSON string, parsed afresh for each invocation.
  const data = JSON.parse(clientBindingPayload(origin, hub)) as { managementUrls: Record<string, string> };
  edit(data);
  context.extraInputs.set(input, data);
  return context;
}

describe('the Durable client of an invocation', () => {
  it('is shared by invocations with the same client data, and not by others', () => {
    const first = durableClient(invocation('http://127.0.0.1:7071'));
    expect(durableClient(invocation('http://127.0.0.1:7071'))).toBe(first);
    expect(first.taskHubName).toBe('Hub');
    const otherHub = durableClient(invocation('http://127.0.0.1:7071', 'OtherHub'));
    expect(otherHub).not.toBe(first);
    expect(otherHub.taskHubName).toBe('OtherHub');
    expect(durableClient(invocation('http://127.0.0.1:7072'))).not.toBe(first);
  });

  it('is not shared when the data differ in one nested URL only, nor when a field is missing', () => {
    const first = durableClient(invocation('http://127.0.0.1:7073'));
    const otherKey = durableClient(
      invocation('http://127.0.0.1:7073', 'Hub', (data) => {
        data.managementUrls.terminatePostUri += '&code=other';
      }),
    );
    expect(otherKey).not.toBe(first);
    const withoutRewind = durableClient(
      invocation('http://127.0.0.1:7073', 'Hub', (data) => {
        delete data.managementUrls.rewindPostUri;
      }),
    );
    expect(withoutRewind).not.toBe(first);
    expect(withoutRewind).not.toBe(otherKey);
    expect(durableClient(invocation('http://127.0.0.1:7073'))).toBe(first);
  });

  it('does not follow a redirect from the extension: a 3xx is an unexpected status', async () => {
    const paths: string[] = [];
    const server = createServer((request, response) => {
      paths.push(request.url ?? '');
      if (request.url?.startsWith('/elsewhere')) {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ instanceId: 'run-1', runtimeStatus: 'Running' }));
        return;
      }
      response.statusCode = 302;
      response.setHeader('location', '/elsewhere');
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = durableClient(invocation(`http://127.0.0.1:${port}`));
      await expect(client.getStatus('run-1')).rejects.toThrow(/unexpected status code: 302/);
      expect(paths.some((path) => path.startsWith('/elsewhere'))).toBe(false);
      expect(paths).toHaveLength(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("says what is missing when the invocation has no client data, as durable-functions' getClient does", () => {
    const context = new InvocationContext({
      functionName: 'startRun',
      options: { trigger: { type: 'httpTrigger', name: 'request' }, extraInputs: [], extraOutputs: [] },
    });
    expect(() => durableClient(context)).toThrow(/Could not find a registered durable client input binding/);
  });
});

/** A server that answers every request with a running instance's status and counts its connections. */
async function statusServer(): Promise<{
  origin: string;
  paths: string[];
  connections(): number;
  close(): Promise<void>;
}> {
  const paths: string[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    response.setHeader('content-type', 'application/json');
    const now = new Date().toISOString();
    response.end(
      JSON.stringify({
        name: 'handoffOrchestrator',
        instanceId: 'run-1',
        runtimeStatus: 'Running',
        createdTime: now,
        lastUpdatedTime: now,
        input: null,
        output: null,
      }),
    );
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    paths,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("the Durable client's connections", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('reuses one connection for requests in a row', async () => {
    const extension = await statusServer();
    try {
      const client = durableClient(invocation(extension.origin, 'KeepAliveHub'));
      for (let i = 0; i < 3; i += 1) expect((await client.getStatus('run-1')).runtimeStatus).toBe('Running');
      expect(extension.paths).toHaveLength(3);
      expect(extension.connections()).toBe(1);
    } finally {
      await extension.close();
    }
  });

  it('goes through the proxy HTTP_PROXY names, and not for a host NO_PROXY names', async () => {
    const extension = await statusServer();
    const proxy = await statusServer();
    try {
      delete process.env.http_proxy;
      delete process.env.no_proxy;
      process.env.HTTP_PROXY = proxy.origin;
      process.env.NO_PROXY = 'example.invalid';
      await durableClient(invocation(extension.origin, 'ProxiedHub')).getStatus('run-1');
      // A proxy is sent the whole URL of the request.
      expect(proxy.paths).toEqual([
        expect.stringMatching(`^${extension.origin}/durabletask/instances/run-1`),
      ]);
      expect(extension.paths).toHaveLength(0);

      process.env.NO_PROXY = '127.0.0.1';
      await durableClient(invocation(extension.origin, 'UnproxiedHub')).getStatus('run-1');
      expect(extension.paths).toHaveLength(1);
      expect(proxy.paths).toHaveLength(1);
    } finally {
      await extension.close();
      await proxy.close();
    }
  });
});
