/**
 * The engine's in-process durable client: the same semantics as the HTTP management API that
 * durable-functions' `DurableClient` calls, for tests and the demo CLI.
 */
import { DevhostError } from '../../errors';
import type { RuntimeStatus } from '../runtime-status';
import type { InstanceStatus } from '../status/instance-status';
import { toInstanceStatus } from '../status/instance-status';
import {
  controlInstance,
  findInstances,
  purgeFinishedInstance,
  raiseEvent,
  readStatus,
  startInstance,
  type DeliveryResult,
  type OperationsDeps,
  type RefusedControl,
} from './instance-operations';

/** The in-process client. */
export interface InProcessClient {
  /** Starts an orchestration; rejects (DevhostError) for an unknown orchestrator, a bad or running id. */
  startNew(
    name: string,
    options?: { instanceId?: string; input?: unknown; version?: string },
  ): Promise<string>;
  /** Raises an event; resolves without effect for a finished instance, rejects for a missing one. */
  raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<void>;
  getStatus(
    instanceId: string,
    options?: { showHistory?: boolean; showHistoryOutput?: boolean; showInput?: boolean },
  ): Promise<InstanceStatus | undefined>;
  terminate(instanceId: string, reason: string): Promise<void>;
  suspend(instanceId: string, reason: string): Promise<void>;
  resume(instanceId: string, reason: string): Promise<void>;
  purge(instanceId: string): Promise<{ instancesDeleted: number }>;
  list(filter?: { runtimeStatus?: RuntimeStatus[]; instanceIdPrefix?: string }): Promise<InstanceStatus[]>;
  /**
   * Resolves with the first status that satisfies `predicate` (checked now and after every change
   * of the instance); rejects with DevhostError `wait_timeout`, naming the last status, after
   * `timeoutMs` (default 30 s of wall time), and with `engine_stopped` once the engine has stopped
   * (nothing changes the instance any more).
   */
  waitFor(
    instanceId: string,
    predicate: (status: InstanceStatus) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<InstanceStatus>;
}

/** What the client needs besides the operations' dependencies. */
export interface InProcessClientDeps extends OperationsDeps {
  /**
   * Calls `listener` whenever the instance's record changes, and once more when the engine has
   * stopped; returns the unsubscribe function.
   */
  subscribe(instanceId: string, listener: () => void): () => void;
  /** True once the engine has stopped. */
  isStopped(): boolean;
}

function notFound(instanceId: string): DevhostError {
  return new DevhostError('instance_not_found', `No instance with ID '${instanceId}' found.`);
}

function delivered(instanceId: string, result: DeliveryResult | RefusedControl): void {
  if (result === 'not_found') throw notFound(instanceId);
  if (typeof result !== 'string') throw new DevhostError('invalid_state', result.refused);
}

/** Creates the in-process client over the engine's operations. */
export function createInProcessClient(deps: InProcessClientDeps): InProcessClient {
  return {
    async startNew(name, options = {}) {
      const result = await startInstance(deps, {
        name,
        ...(options.instanceId === undefined ? {} : { instanceId: options.instanceId }),
        inputJson: options.input === undefined ? null : JSON.stringify(options.input),
        ...(options.version === undefined ? {} : { version: options.version }),
      });
      if (!result.ok) throw new DevhostError(result.reason, result.message);
      return result.instanceId;
    },
    async raiseEvent(instanceId, eventName, data) {
      const json = data === undefined ? null : JSON.stringify(data);
      delivered(instanceId, await raiseEvent(deps, instanceId, eventName, json));
    },
    getStatus: (instanceId, options) => readStatus(deps, instanceId, options),
    async terminate(instanceId, reason) {
      delivered(instanceId, await controlInstance(deps, 'terminate', instanceId, reason));
    },
    async suspend(instanceId, reason) {
      delivered(instanceId, await controlInstance(deps, 'suspend', instanceId, reason));
    },
    async resume(instanceId, reason) {
      delivered(instanceId, await controlInstance(deps, 'resume', instanceId, reason));
    },
    async purge(instanceId) {
      const result = await purgeFinishedInstance(deps, instanceId);
      if (typeof result !== 'string') throw new DevhostError('invalid_state', result.refused);
      return { instancesDeleted: result === 'purged' ? 1 : 0 };
    },
    async list(filter = {}) {
      return (await findInstances(deps, filter)).map((record) => toInstanceStatus(record));
    },
    waitFor(instanceId, predicate, options = {}) {
      const timeoutMs = options.timeoutMs ?? 30_000;
      return new Promise<InstanceStatus>((resolve, reject) => {
        let last: InstanceStatus | undefined;
        let settled = false;
        let checking = false;
        let recheck = false;
        const finish = (action: () => void): void => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          unsubscribe();
          action();
        };
        const check = async (): Promise<void> => {
          if (checking) {
            recheck = true;
            return;
          }
          checking = true;
          try {
            do {
              recheck = false;
              last = await readStatus(deps, instanceId);
              if (last && predicate(last)) {
                const status = last;
                finish(() => resolve(status));
              } else if (deps.isStopped()) {
                const status = last;
                finish(() =>
                  reject(
                    new DevhostError(
                      'engine_stopped',
                      `The durable engine stopped while waiting for instance '${instanceId}'. ` +
                        `Last status: ${status ? JSON.stringify(status) : 'no such instance'}.`,
                    ),
                  ),
                );
              }
            } while (recheck && !settled);
          } catch (error) {
            finish(() => reject(error instanceof Error ? error : new Error(String(error))));
          } finally {
            checking = false;
          }
        };
        const unsubscribe = deps.subscribe(instanceId, () => void check());
        const deadline = setTimeout(() => {
          finish(() =>
            reject(
              new DevhostError(
                'wait_timeout',
                `Instance '${instanceId}' did not reach the expected state within ${timeoutMs} ms. ` +
                  `Last status: ${last ? JSON.stringify(last) : 'no such instance'}.`,
              ),
            ),
          );
        }, timeoutMs);
        void check();
      });
    },
  };
}
