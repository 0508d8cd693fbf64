/**
 * Replay regression: the committed histories of representative handoff runs (recorded by
 * handoff-orchestrator.test.ts with RECORD_HISTORIES=1) must replay through the current orchestrator
 * with exactly the recorded actions at every episode. A change that reorders, adds or renames yields
 * fails here instead of stranding live runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OrchestrationRecordingSchema, replayRecording } from '../../devhost/durable';
import { AppWorker } from '../../devhost/worker/app-worker';
import { APP_DIR } from '../support/app-host';
import { HISTORY_DIR } from './support/orchestrator-harness';

const files = fs
  .readdirSync(HISTORY_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();

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
