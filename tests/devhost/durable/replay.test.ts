import fs from 'node:fs';
import path from 'node:path';
import {
  OrchestrationRecordingSchema,
  replayRecording,
  type OrchestrationRecording,
} from '../../../devhost/durable';
import { HISTORIES_DIR } from './conformance/conformance-suite';
import { useFixtureEngines } from './support/fixture-engines';

function load(file: string): OrchestrationRecording {
  return OrchestrationRecordingSchema.parse(
    JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')),
  );
}

const files = fs
  .readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of recorded conformance histories', () => {
  const fixture = useFixtureEngines();

  it('has a recorded history for every recorded scenario', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)(
    'replays %s through durable-functions with the recorded actions and no divergence',
    async (file) => {
      const recording = load(file);
      expect(recording.executions.length).toBeGreaterThan(0);
      expect(await replayRecording(fixture.worker(), recording)).toEqual([]);
    },
  );

  it('reports a recorded action whose activity name was swapped, naming the episode and the action', async () => {
    const recording = load('activity-chain.json');
    const episode = recording.executions[0]!.episodes[1]!;
    if (episode.result.kind !== 'state') throw new Error('expected a recorded state');
    const action = episode.result.state.actions[0]![1] as { functionName: string };
    action.functionName = 'double';
    const divergences = await replayRecording(fixture.worker(), recording);
    expect(divergences).toHaveLength(1);
    expect(divergences[0]).toMatchObject({
      execution: 1,
      episode: 2,
      path: 'result.state.actions[0][1].functionName',
      recorded: 'double',
      replayed: 'sayHello',
    });
    expect(divergences[0]!.message).toMatch(
      /^Execution 1 \(\w+\), episode 2: result\.state\.actions\[0\]\[1\]\.functionName/,
    );
  });

  it('reports non-determinism when a recorded TaskScheduled names a different activity than the code schedules', async () => {
    const recording = load('activity-chain.json');
    const episode = recording.executions[0]!.episodes[2]!;
    const scheduled = episode.payload.history.find((e) => e.EventType === 4 && e.EventId === 1);
    if (!scheduled || scheduled.EventType !== 4) throw new Error('expected TaskScheduled 1 in episode 3');
    scheduled.Name = 'double';
    const divergences = await replayRecording(fixture.worker(), recording);
    expect(divergences).toEqual([
      expect.objectContaining({
        episode: 3,
        path: 'verdict',
        message: expect.stringContaining(
          "scheduled an activity task with sequence number 1 named 'double', but the current orchestration replay " +
            "instead scheduled an activity task named 'sayHello'",
        ),
      }),
    ]);
  });
});
