import type { InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { durableClient } from '../durable/durable-functions-sdk';
import { managementRpcClientOf, type ManagementRpcClient } from '../durable/management-rpc-client';
import type { RunClient } from '../durable/run-client';

/** A run's Durable status, as far as the API needs it. */
export interface RunInstanceStatus {
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  /** When the instance was created (ISO 8601), if the backend says. */
  createdTime?: string | undefined;
  /** When the instance last changed (ISO 8601): for a finished run, when it ended. */
  lastUpdatedTime?: string | undefined;
}

/** The Durable client operations the HTTP API uses. */
export interface RunManagementClient extends RunClient {
  /**
   * The instance's status, or undefined when no such instance exists. Ask for its `input` (the
   * run's plan, a few KB) with `showInput` only when it is needed; the answer may hold it anyway
   * (see {@link durableRunClient}).
   */
  getStatus(instanceId: string, options?: { showInput?: boolean }): Promise<RunInstanceStatus | undefined>;
}

function isoTime(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

function isNotFound(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /404|No instance with ID/i.test(message);
}

/** The run client over the extension's management API, called directly (see {@link durableRunClient}). */
export function directRunClient(direct: ManagementRpcClient): RunManagementClient {
  return {
    startNew: (name, options) => direct.startNew(name, options),
    raiseEvent: (instanceId, eventName, eventData) => direct.raiseEvent(instanceId, eventName, eventData),
    getStatus: async (instanceId, options) => {
      const status = await direct.getStatus(instanceId, { showInput: options?.showInput ?? false });
      if (status === undefined) return undefined;
      return {
        runtimeStatus: status.runtimeStatus,
        input: status.input,
        output: status.output,
        customStatus: status.customStatus,
        // As durable-functions' client hands them over: through a Date.
        createdTime: isoTime(new Date(status.createdTime)),
        lastUpdatedTime: isoTime(new Date(status.lastUpdatedTime)),
      };
    },
  };
}

/** The run client over durable-functions' `DurableClient` (see {@link durableRunClient}). */
export function durableFunctionsRunClient(client: DurableClient): RunManagementClient {
  return {
    startNew: (name, options) => client.startNew(name, options),
    raiseEvent: (instanceId, eventName, eventData) => client.raiseEvent(instanceId, eventName, eventData),
    getStatus: async (instanceId, options) => {
      try {
        const status = await client.getStatus(instanceId, { showInput: options?.showInput ?? false });
        return {
          runtimeStatus: String(status.runtimeStatus),
          input: status.input,
          output: status.output,
          customStatus: status.customStatus,
          createdTime: isoTime(status.createdTime),
          lastUpdatedTime: isoTime(status.lastUpdatedTime),
        };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}

/**
 * The app's Durable client for an invocation, with `getStatus` mapping 404 to undefined. When the
 * binding names the extension's `rpcBaseUrl` (every extension since 2.x, and the local host), the
 * calls go to it directly (`durable/management-rpc-client.ts`: the requests durable-functions'
 * client sends, without axios), and a status read without `showInput` leaves the input out.
 * Otherwise they go through durable-functions' client (`df.getClient`, shared by invocations with
 * the same client data), which drops a false `showInput` (the extension then includes the input).
 */
export function durableRunClient(context: InvocationContext): RunManagementClient {
  const direct = managementRpcClientOf(context);
  return direct !== undefined ? directRunClient(direct) : durableFunctionsRunClient(durableClient(context));
}
