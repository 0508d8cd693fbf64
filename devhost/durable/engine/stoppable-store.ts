/**
 * A view of a store that refuses writes once the engine has stopped, so nothing the engine still
 * had in flight (an activity finishing late, an episode past the stop deadline) writes afterwards.
 */
import { DevhostError } from '../../errors';
import type { InstanceStore } from '../store/instance-store';

/** Wraps `store`; `isStopped` is read before every write. */
export function stoppableStore(store: InstanceStore, isStopped: () => boolean): InstanceStore {
  const guard = <T>(write: () => Promise<T>): Promise<T> =>
    isStopped()
      ? Promise.reject(
          new DevhostError('engine_stopped', 'The durable engine has stopped; the write was not made.'),
        )
      : write();
  return {
    kind: store.kind,
    createInstance: (record, start, replaceEtag) =>
      guard(() => store.createInstance(record, start, replaceEtag)),
    getInstance: (instanceId) => store.getInstance(instanceId),
    listInstances: () => store.listInstances(),
    readHistory: (instanceId, executionId, fromChunk) =>
      store.readHistory(instanceId, executionId, fromChunk),
    readInbox: (instanceId) => store.readInbox(instanceId),
    addMessage: (instanceId, message, options) => guard(() => store.addMessage(instanceId, message, options)),
    commitEpisode: (commit) => guard(() => store.commitEpisode(commit)),
    deleteHistory: (instanceId, executionId) => guard(() => store.deleteHistory(instanceId, executionId)),
    purgeInstance: (instanceId) => guard(() => store.purgeInstance(instanceId)),
    close: () => store.close(),
  };
}
