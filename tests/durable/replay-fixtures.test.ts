/**
 * Replay regression: the committed histories of representative handoff runs (recorded by
 * handoff-orchestrator.test.ts with RECORD_HISTORIES=1) must replay through the current orchestrator
 * with exactly the recorded actions at every episode. A change that reorders, adds or renames yields
 * fails here instead of stranding live runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OrchestrationRecordingSchema, replayRecording } from '../../devhost/durable';
import { callOrchestrator } from '../../devhost/durable/engine/orchestrator-call';
import type { OrchestratorResult } from '../../devhost/durable/replay/orchestrator-result';
import type { OrchestratorAction } from '../../devhost/durable/replay/orchestrator-state';
import { AppWorker } from '../../devhost/worker/app-worker';
import { APP_DIR } from '../support/app-host';
import { HISTORY_DIR } from './support/orchestrator-harness';

const files = fs
  .readdirSync(HISTORY_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();

/** Histories recorded by the build before #12 (8f83f5a), which wrote history in another shape. */
const EARLIER_DIR = path.resolve(HISTORY_DIR, '../handoff-8f83f5a');
const earlierFiles = fs
  .readdirSync(EARLIER_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();

/**
 * Histories of runs that ended by their condition, recorded before the turn that ends a run stored
 * the run's end itself (#16): their last turn's result says nothing of it, so the finish activity
 * runs, exactly as recorded.
 */
const BEFORE_CLOSING_TURN_DIR = path.resolve(HISTORY_DIR, '../handoff-before-closing-turn');
const beforeClosingTurnFiles = fs
  .readdirSync(BEFORE_CLOSING_TURN_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();

function actionPath(action: OrchestratorAction): unknown {
  if (action.actionType === 11 || action.actionType === 12) {
    return { [action.actionType === 11 ? 'any' : 'all']: action.compoundActions.map(actionPath) };
  }
  if ('functionName' in action) return action.functionName;
  if ('externalEventName' in action) return `wait ${String(action.externalEventName)}`;
  if ('fireAt' in action) return `timer ${String(action.fireAt)}${action.isCanceled ? ' cancelled' : ''}`;
  return action.actionType === 4 ? 'continueAsNew' : action.actionType;
}

/**
 * The path of an episode: which activities, timers and waits, in which order, and how the run
 * ended; not what the tasks are handed, which a build may change for runs in flight.
 */
function pathOf(result: OrchestratorResult): unknown {
  if (result.kind === 'failed') return 'failed';
  const output = result.state.output as
    { state?: unknown; stopReason?: unknown; turns?: unknown } | undefined;
  return {
    isDone: result.state.isDone,
    actions: result.state.actions.map((group) => group.map(actionPath)),
    ...(output ? { state: output.state, stopReason: output.stopReason, turns: output.turns } : {}),
    ...(result.state.error !== undefined ? { error: true } : {}),
  };
}

describe('recorded handoff histories', () => {
  let worker: AppWorker;
  beforeAll(async () => {
    worker = await AppWorker.start({ appDir: APP_DIR, log: () => undefined });
  });
  afterAll(async () => {
    await worker?.terminate();
  });

  it('are present for every representative scenario', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it.each(files)('%s replays with exactly the recorded actions', async (file) => {
    const recording = OrchestrationRecordingSchema.parse(
      JSON.parse(fs.readFileSync(path.join(HISTORY_DIR, file), 'utf8')),
    );
    const divergences = await replayRecording(worker, recording);
    expect(divergences.map((d) => d.message)).toEqual([]);
  });

  it.each(beforeClosingTurnFiles)(
    '%s, recorded before a turn stored the run end, replays with exactly the recorded actions',
    async (file) => {
      const recording = OrchestrationRecordingSchema.parse(
        JSON.parse(fs.readFileSync(path.join(BEFORE_CLOSING_TURN_DIR, file), 'utf8')),
      );
      const divergences = await replayRecording(worker, recording);
      expect(divergences.map((d) => d.message)).toEqual([]);
    },
  );

  it.each(earlierFiles)('%s, recorded by the build before #12, replays on the same path', async (file) => {
    const recording = OrchestrationRecordingSchema.parse(
      JSON.parse(fs.readFileSync(path.join(EARLIER_DIR, file), 'utf8')),
    );
    for (const [e, execution] of recording.executions.entries()) {
      for (const [i, episode] of execution.episodes.entries()) {
        const replayed = await callOrchestrator(worker, recording.orchestrator, episode.payload);
        expect({ execution: e + 1, episode: i + 1, path: pathOf(replayed) }).toEqual({
          execution: e + 1,
          episode: i + 1,
          path: pathOf(episode.result),
        });
      }
    }
  });

  it('reports a divergence when the orchestrator would schedule something else', async () => {
    const recording = OrchestrationRecordingSchema.parse(
      JSON.parse(fs.readFileSync(path.join(HISTORY_DIR, 'article.json'), 'utf8')),
    );
    const tampered = structuredClone(recording);
    const episode = tampered.executions[0]!.episodes[1]!;
    const payloadHistory = episode.payload.history as Array<Record<string, unknown>>;
    const scheduled = payloadHistory.find((event) => event.EventType === 4);
    expect(scheduled).toBeDefined();
    scheduled!.Name = 'someOtherActivity';
    const divergences = await replayRecording(worker, tampered);
    expect(divergences.length).toBeGreaterThan(0);
    expect(divergences[0]!.message).toMatch(/Execution 1 .*episode 2/);
  });
});
