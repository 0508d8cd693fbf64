/**
 * Replays a recording through durable-functions: re-runs the orchestrator over each recorded
 * episode's payload and compares what it returns (actions, isDone, output, error, custom status)
 * with what was recorded; also replays the extension's side over that history and compares the
 * engine's verdict, which catches the non-determinism DTFx would report (a renamed or reordered
 * activity against the recorded TaskScheduled).
 */
import type { FunctionInvoker } from '../../contracts';
import { activityNames, callOrchestrator } from '../engine/orchestrator-call';
import { DEFAULT_DURABLE_SETTINGS } from '../settings';
import { firstDifference } from './first-difference';
import type { OrchestratorResult } from './orchestrator-result';
import type { OrchestrationRecording } from './recording';
import { describeOutcome, replayShim } from './shim/replay-shim';

/** One divergence between a recording and its replay. */
export interface ReplayDivergence {
  /** 1-based execution (continue-as-new generation) number. */
  execution: number;
  executionId: string;
  /** 1-based episode number within the execution. */
  episode: number;
  /** What differs, e.g. `result.state.actions[0][1].functionName`, or `verdict` (e.g. non-determinism). */
  path: string;
  recorded: unknown;
  replayed: unknown;
  /** A sentence naming the episode, the path and both values. */
  message: string;
}

function describe(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

function compareResults(recorded: OrchestratorResult, replayed: OrchestratorResult) {
  if (recorded.kind !== replayed.kind) {
    return { path: 'result.kind', left: recorded.kind, right: replayed.kind };
  }
  return firstDifference(
    JSON.parse(JSON.stringify(recorded)) as unknown,
    JSON.parse(JSON.stringify(replayed)) as unknown,
    'result',
  );
}

/**
 * Replays every episode of `recording` with the app's current code; resolves with the
 * divergences (an empty list when the code still takes the recorded path).
 *
 * @example
 * const recording = OrchestrationRecordingSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
 * expect(await replayRecording(worker, recording)).toEqual([]);
 */
export async function replayRecording(
  invoker: FunctionInvoker,
  recording: OrchestrationRecording,
): Promise<ReplayDivergence[]> {
  const divergences: ReplayDivergence[] = [];
  const knownActivities = activityNames(invoker);
  for (const [e, execution] of recording.executions.entries()) {
    for (const [i, episode] of execution.episodes.entries()) {
      const where = { execution: e + 1, executionId: execution.executionId, episode: i + 1 };
      const label = `Execution ${where.execution} (${execution.executionId}), episode ${where.episode}`;
      const replayed = await callOrchestrator(invoker, recording.orchestrator, episode.payload);
      const difference = compareResults(episode.result, replayed);
      if (difference) {
        divergences.push({
          ...where,
          path: difference.path,
          recorded: difference.left,
          replayed: difference.right,
          message: `${label}: ${difference.path} was ${describe(difference.left)} when recorded, ${describe(difference.right)} on replay.`,
        });
      }
      if (episode.verdict !== undefined) {
        const verdict = describeOutcome(
          replayShim({
            orchestratorName: recording.orchestrator,
            history: episode.payload.history,
            result: replayed,
            knownActivities,
            maxOrchestrationActions: DEFAULT_DURABLE_SETTINGS.maxOrchestrationActions,
          }).outcome,
        );
        if (verdict !== episode.verdict) {
          divergences.push({
            ...where,
            path: 'verdict',
            recorded: episode.verdict,
            replayed: verdict,
            message: `${label}: the engine's verdict was ${JSON.stringify(episode.verdict)} when recorded, ${JSON.stringify(verdict)} on replay.`,
          });
        }
      }
    }
  }
  return divergences;
}
