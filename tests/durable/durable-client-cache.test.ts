import { InvocationContext } from '@azure/functions';
import { clientBindingPayload } from '../../devhost/durable/management/management-urls';
import { durableClient } from '../../src/durable/durable-functions-sdk';
import { durableClientInput } from '../../src/functions/durable-bindings';

/** An invocation whose durableClient input carries the client data of a host at `origin`. */
function invocation(origin: string, hub = 'Hub'): InvocationContext {
  const input = durableClientInput();
  const context = new InvocationContext({
    functionName: 'startRun',
    options: { trigger: { type: 'httpTrigger', name: 'request' }, extraInputs: [input], extraOutputs: [] },
  });
  context.extraInputs.set(input, JSON.parse(clientBindingPayload(origin, hub)));
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

  it("says what is missing when the invocation has no client data, as durable-functions' getClient does", () => {
    const context = new InvocationContext({
      functionName: 'startRun',
      options: { trigger: { type: 'httpTrigger', name: 'request' }, extraInputs: [], extraOutputs: [] },
    });
    expect(() => durableClient(context)).toThrow(/Could not find a registered durable client input binding/);
  });
});
