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
