/**
 * The subset of a Durable client that starting runs and sending replies needs. `DurableClient` from
 * durable-functions satisfies it, and so does the local host's in-process client.
 */
export interface RunClient {
  startNew(orchestratorName: string, options: { instanceId: string; input: unknown }): Promise<string>;
  raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void>;
}
