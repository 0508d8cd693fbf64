/**
 * Telemetry that Durable's re-runs must not repeat, and waits that end without an answer, through the
 * real orchestrator and activities on the local host's durable engine (memory storage, virtual clock),
 * exporting over OTLP/HTTP to a test receiver.
 *
 * Durable runs an activity at least once: after a crash between its work and the recording of its
 * result, it runs it again with the same input. The orchestrator replays its history on every
 * episode. Neither may write a span or a metric twice.
 */
import { randomBytes } from 'node:crypto';
import type { OrchestrationInput } from '../../src/durable/wire/orchestration-input';
import { waitFor as waitForAsync } from '../support/api-client';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { OrchestratorHarness } from './support/orchestrator-harness';
import { callTools, handoffTo } from '../support/scripted-replies';

const waitFor = <T>(what: string, probe: () => T | undefined): Promise<T> =>
  waitForAsync(what, () => Promise.resolve(probe()));

const harness = new OrchestratorHarness();
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  await harness.start({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_METRIC_EXPORT_INTERVAL: '200',
  });
}, 60_000);
afterAll(async () => {
  await harness.stop();
  await receiver?.close();
});

/**
 * The run's input with a trace, as the start request gives it (the harness starts runs without the
 * HTTP API): the trace id the run's spans must carry.
 */
function traced(traceId: string) {
  return (input: OrchestrationInput): OrchestrationInput => ({
    ...input,
    trace: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
  });
}

const spansOf = (traceId: string, name: string): ReceivedSpan[] =>
  receiver.spans.filter((span) => span.traceId === traceId && span.name === name);

/** The inputs of the activity `name` the run scheduled, from its recorded history, in order. */
async function scheduledInputs(runId: string, name: string): Promise<unknown[]> {
  const recording = await harness.recording(runId);
  return recording.executions.flatMap((execution) => {
    const history = execution.episodes.at(-1)!.payload.history as {
      EventType: number;
      Name?: string;
      Input?: string;
    }[];
    return history
      .filter((event) => event.EventType === 4 && event.Name === name)
      .map((event) => (JSON.parse(event.Input!) as unknown[])[0]);
  });
}

/**
 * What the receiver last heard of a counter (its value) or histogram (its count), summed over the
 * attribute sets that match `where`: each set's latest point, since the points are cumulative.
 */
function latest(metric: string, where: Record<string, unknown> = {}): number | undefined {
  const bySet = new Map<string, number>();
  for (const point of receiver.points) {
    if (point.metric !== metric) continue;
    if (!Object.entries(where).every(([key, value]) => point.attributes[key] === value)) continue;
    bySet.set(JSON.stringify(point.attributes), point.value ?? point.count ?? 0);
  }
  return bySet.size === 0 ? undefined : [...bySet.values()].reduce((sum, value) => sum + value, 0);
}

let runsFinished = 0;

/** Runs an autonomous run to its end and waits for its `finish_run` span: every span written before it has arrived. */
async function marker(name: string): Promise<void> {
  harness.script([{ agent: 'coordinator_agent', reply: { text: 'Done: your issue is resolved.' } }]);
  const traceId = randomBytes(16).toString('hex');
  const runId = await harness.startRun(name, { message: 'Hi', mode: 'autonomous' }, traced(traceId));
  await harness.finished(runId);
  runsFinished += 1;
  await waitFor('the marker run to be exported', () =>
    spansOf(traceId, 'finish_run').length ? true : undefined,
  );
}

/**
 * Waits for a metric export that counts the last marker run, and returns the runs it counts as
 * finished by condition. Counters are cumulative and every repeat came before the marker's end, so
 * this export and any later one would show a repeat.
 */
function metricsAfterMarker(): Promise<number> {
  return waitFor('a metric export that counts the marker run', () => {
    const value = latest('durable_handoff.runs.finished', {
      'durable_handoff.stop_reason': 'terminated_by_condition',
    });
    return value !== undefined && value >= runsFinished ? value : undefined;
  });
}

describe('telemetry written once, whatever Durable runs again', () => {
  it('reports each approval wait and the run end once, though the syncs and the turn that ended the run run again', async () => {
    harness.script([
      { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
      {
        agent: 'refund_agent',
        reply: callTools(
          ['issue_refund', { orderId: '12346', amount: 5 }, 'call_1'],
          ['issue_refund', { orderId: '12347', amount: 6 }, 'call_2'],
        ),
      },
      { agent: 'refund_agent', reply: { text: 'Both refunds were issued; your issue is resolved.' } },
    ]);
    const traceId = randomBytes(16).toString('hex');
    const runId = await harness.startRun('telemetry-once', { message: 'Refund two orders' }, traced(traceId));
    const first = await harness.awaitingInput(runId);
    await harness.approve(runId, first.requestId, { approved: true });
    const second = await harness.settle(
      runId,
      (s) =>
        (s.customStatus as { pendingRequest?: { requestId?: string } } | null)?.pendingRequest?.requestId !==
        first.requestId,
    );
    const secondRequest = (second.customStatus as { pendingRequest: { requestId: string } }).pendingRequest;
    await harness.approve(runId, secondRequest.requestId, { approved: true });
    await harness.finished(runId);
    runsFinished += 1;
    await waitFor('the run to be exported', () => (spansOf(traceId, 'finish_run').length ? true : undefined));

    // The first approval was stored by the sync before the second wait; the second by the resumed turn.
    const syncs = await scheduledInputs(runId, 'handoffSyncRun');
    const syncWithAnswer = syncs.filter((input) =>
      (input as { events: { type: string }[] }).events.some((event) => event.type === 'tool_approval'),
    );
    expect(syncWithAnswer).toHaveLength(1);
    // The last turn ended the run by its condition and stored the run's end with its commit: no finish.
    expect(await scheduledInputs(runId, 'handoffFinishRun')).toEqual([]);
    const lastTurn = (await scheduledInputs(runId, 'handoffAgentTurn')).at(-1);
    // As after a crash: every sync and the turn that ended the run run again with the same input.
    for (const input of syncs) await harness.invokeActivity('handoffSyncRun', input);
    await harness.invokeActivity('handoffAgentTurn', lastTurn);
    await marker('telemetry-once-marker');

    const waits = [...spansOf(traceId, 'await_human refund_agent')];
    expect(waits.map((span) => span.attributes['durable_handoff.request.id']).sort()).toEqual(
      [first.requestId, secondRequest.requestId].sort(),
    );
    for (const wait of waits) {
      expect(wait.attributes).toMatchObject({
        'durable_handoff.request.kind': 'tool_approval',
        'durable_handoff.wait.outcome': 'answered',
      });
    }
    expect(spansOf(traceId, 'finish_run')).toHaveLength(1);
    // Each turn once: the coordinator's, the refund agent's paused turn and its two resumptions.
    expect(spansOf(traceId, 'invoke_agent coordinator_agent')).toHaveLength(1);
    expect(spansOf(traceId, 'execute_tool issue_refund')).toHaveLength(2);

    expect(await metricsAfterMarker()).toBe(runsFinished);
    expect(
      latest('durable_handoff.human.wait.duration', { 'durable_handoff.request.kind': 'tool_approval' }),
    ).toBe(2);
  });

  it('reports a reply that timed out as a wait of the whole timeout, once', async () => {
    harness.script([{ agent: 'coordinator_agent', reply: { text: 'Can you tell me more?' } }]);
    const traceId = randomBytes(16).toString('hex');
    const runId = await harness.startRun(
      'telemetry-reply-timeout',
      { message: 'Hi', mode: 'human_in_loop' },
      traced(traceId),
    );
    const pending = await harness.awaitingInput(runId);
    harness.clock.advance(24 * 60 * 60 * 1000);
    const output = await harness.finished(runId);
    expect(output.stopReason).toBe('reply_timeout');
    const [finish] = await scheduledInputs(runId, 'handoffFinishRun');
    await harness.invokeActivity('handoffFinishRun', finish);
    await marker('telemetry-reply-timeout-marker');

    const waits = spansOf(traceId, 'await_human coordinator_agent');
    expect(waits).toHaveLength(1);
    const wait = waits[0]!;
    expect(wait.attributes).toMatchObject({
      'durable_handoff.request.id': pending.requestId,
      'durable_handoff.request.kind': 'reply',
      'durable_handoff.wait.outcome': 'timed_out',
      'durable_handoff.wait.seconds': 24 * 60 * 60,
    });
    expect(wait.endNs - wait.startNs).toBe(24n * 60n * 60n * 1_000_000_000n);
    expect(
      spansOf(traceId, 'finish_run').map((span) => span.attributes['durable_handoff.stop_reason']),
    ).toEqual(['reply_timeout']);
    await metricsAfterMarker();
    expect(latest('durable_handoff.runs.finished', { 'durable_handoff.stop_reason': 'reply_timeout' })).toBe(
      1,
    );
    expect(
      latest('durable_handoff.human.wait.duration', { 'durable_handoff.wait.outcome': 'timed_out' }),
    ).toBe(1);
  });
});
