/**
 * Keeps the {@link OrchestrationRecording} of every instance the engine ran, in memory (episodes
 * that ran before a restart are not in it). Purging an instance forgets its recording.
 */
import { RECORDING_FORMAT, type OrchestrationRecording, type RecordedEpisode } from '../replay/recording';

/** Collects recordings. */
export class Recorder {
  readonly #recordings = new Map<string, OrchestrationRecording>();
  /** False when recording is off: `add` keeps nothing. */
  readonly enabled: boolean;

  constructor(enabled = true) {
    this.enabled = enabled;
  }

  /** Adds one episode of `executionId`. */
  add(instanceId: string, orchestrator: string, executionId: string, episode: RecordedEpisode): void {
    if (!this.enabled) return;
    let recording = this.#recordings.get(instanceId);
    if (!recording || recording.orchestrator !== orchestrator) {
      recording = { format: RECORDING_FORMAT, instanceId, orchestrator, executions: [] };
      this.#recordings.set(instanceId, recording);
    }
    let execution = recording.executions.find((e) => e.executionId === executionId);
    if (!execution) {
      execution = { executionId, episodes: [] };
      recording.executions.push(execution);
    }
    execution.episodes.push(structuredClone(episode));
  }

  /** Starts over for an instance started again under the same id. */
  reset(instanceId: string): void {
    this.#recordings.delete(instanceId);
  }

  /** The recording of an instance (a copy), if the engine ran it. */
  get(instanceId: string): OrchestrationRecording | undefined {
    const recording = this.#recordings.get(instanceId);
    return recording ? structuredClone(recording) : undefined;
  }
}
