/**
 * The Durable Task extension of the local host: orchestrations through durable-functions' own
 * replay, activities, durable timers, external events, continue-as-new, custom status,
 * terminate/suspend/resume, purge, the durable client binding and its HTTP management API, with
 * state in memory or in Azure Table + Blob storage (Azurite).
 *
 * @example
 * const worker = await AppWorker.start({ appDir, log });
 * const engine = createDurableEngine({
 *   invoker: worker,
 *   store: createMemoryStore(),
 *   settings: parseDurableSettings(hostJson),
 *   baseUrl: 'http://localhost:7071',
 * });
 * await engine.start();
 */
export { createDurableEngine } from './engine/create-engine';
export type { DurableEngine, DurableEngineOptions } from './engine/create-engine';
export type { InProcessClient } from './client/in-process-client';
export { realClock } from './clock/real-clock';
export { VirtualClock } from './clock/virtual-clock';
export { createMemoryStore } from './store/memory-store';
export { createTableStore } from './store/table-store';
export type { TableStoreOptions } from './store/table-store';
export { startAzurite } from '../azurite/start-azurite';
export type { AzuriteHandle, StartAzuriteOptions } from '../azurite/start-azurite';
export type {
  EpisodeCommit,
  InboxMessage,
  InstanceRecord,
  InstanceStore,
  StoredInstance,
} from './store/instance-store';
export { parseDurableSettings, DEFAULT_DURABLE_SETTINGS } from './settings';
export type { DurableSettings } from './settings';
export { replayRecording } from './replay/replay-recording';
export type { ReplayDivergence } from './replay/replay-recording';
export { OrchestrationRecordingSchema, RECORDING_FORMAT } from './replay/recording';
export type { OrchestrationRecording, RecordedEpisode } from './replay/recording';
export type { OrchestrationPayload } from './replay/orchestration-payload';
export type { OrchestratorState, OrchestratorAction } from './replay/orchestrator-state';
export type { InstanceStatus } from './status/instance-status';
export { RUNTIME_STATUSES, isTerminal } from './runtime-status';
export type { RuntimeStatus } from './runtime-status';
export type { HistoryEvent } from './history/history-event';
