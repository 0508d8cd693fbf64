/**
 * The subset of a Durable client that starting runs and sending replies needs. `DurableClient` from
 * durable-functions satisfies it, and so does the local host's in-process client.
 */
export interface RunClient {
  startNew(orchestratorName: string, options: { instanceId: string; input: unknown }): Promise<string>;
  raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void>;
  /**
   * The instance's status (`DurableClient.getStatus`); `sendUserReply` reads the run instance's
   * nonce from it, to store the reply with the run's data.
   */
  getStatus?(
    instanceId: string,
    options?: { showInput?: boolean },
  ): Promise<{ customStatus?: unknown; input?: unknown } | undefined>;
}
