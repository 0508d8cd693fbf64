import {
  createMemoryStore,
  VirtualClock,
  type DurableEngine,
  type InstanceStore,
} from '../../../../devhost/durable';
import type { FunctionInvoker } from '../../../../devhost/contracts';
import { finished, useFixtureEngines } from '../support/fixture-engines';

/** The real worker, keeping the payload text of every orchestrator invocation per instance. */
function payloadKeepingInvoker(inner: FunctionInvoker): {
  invoker: FunctionInvoker;
  sent: Map<string, string[]>;
} {
  const sent = new Map<string, string[]>();
  return {
    sent,
    invoker: {
      list: () => inner.list(),
      get: (name) => inner.get(name),
      invoke(name, inputData, options) {
        const text = inputData[0]?.data.string;
        if (inner.get(name)?.triggerType === 'orchestrationTrigger' && typeof text === 'string') {
          const { instanceId } = JSON.parse(text) as { instanceId: string };
          sent.set(instanceId, [...(sent.get(instanceId) ?? []), text]);
        }
        return inner.invoke(name, inputData, options);
      },
    },
  };
}

describe('the orchestration payload the engine sends, serialized once per event', () => {
  const fixture = useFixtureEngines();
  const engine = (
    store: InstanceStore,
    invoker: FunctionInvoker,
    clock = new VirtualClock(),
  ): DurableEngine => fixture.engine({ invoker, store, clock });

  /** Every episode's text equals the JSON of the payload recorded for it (built whole from the history). */
  async function expectSentAsRecorded(
    running: DurableEngine,
    sent: Map<string, string[]>,
    instanceId: string,
    episodes: number,
  ): Promise<void> {
    const recording = await running.recording(instanceId);
    const recorded = recording.executions.flatMap((e) =>
      e.episodes.map((episode) => JSON.stringify(episode.payload)),
    );
    expect(recorded.length).toBeGreaterThanOrEqual(episodes);
    expect(sent.get(instanceId)?.slice(-recorded.length)).toEqual(recorded);
  }

  it('sends each episode of an activity chain the payload built from its whole history', async () => {
    const { invoker, sent } = payloadKeepingInvoker(fixture.worker());
    const running = engine(createMemoryStore(), invoker);
    await running.start();
    await running.client.startNew('activityChain', { instanceId: 'chain', input: 'text "quoted" \u00e9' });
    await running.client.waitFor('chain', finished);
    await expectSentAsRecorded(running, sent, 'chain', 4);
  });

  it('writes the same input into the payloads of instances that share it, and a different one where it differs', async () => {
    const { invoker, sent } = payloadKeepingInvoker(fixture.worker());
    const running = engine(createMemoryStore(), invoker);
    await running.start();
    for (const [instanceId, input] of [
      ['same-1', { text: 'shared', n: 1 }],
      ['same-2', { text: 'shared', n: 1 }],
      ['other', { text: 'other', n: 2 }],
    ] as const) {
      await running.client.startNew('activityChain', { instanceId, input });
      await running.client.waitFor(instanceId, finished);
      await expectSentAsRecorded(running, sent, instanceId, 4);
    }
    expect(sent.get('other')?.[0]).toContain('"input":{"text":"other","n":2}');
  });

  it('starts the text over for a new execution after continue-as-new', async () => {
    const { invoker, sent } = payloadKeepingInvoker(fixture.worker());
    const running = engine(createMemoryStore(), invoker);
    await running.start();
    await running.client.startNew('counterContinueAsNew', { instanceId: 'counter', input: { n: 0, max: 2 } });
    const status = await running.client.waitFor('counter', finished);
    expect(status.output).toBe(2);
    await expectSentAsRecorded(running, sent, 'counter', 6);
  });

  it('builds the text from a stored history when a new engine takes over a running instance', async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock();
    const first = engine(store, fixture.worker(), clock);
    await first.start();
    await first.client.startNew('customStatusSteps', { instanceId: 'steps' });
    await first.client.waitFor('steps', (s) => s.runtimeStatus === 'Running');
    await first.idle();
    await first.stop();

    const { invoker, sent } = payloadKeepingInvoker(fixture.worker());
    const second = engine(store, invoker, clock);
    await second.start();
    await second.client.raiseEvent('steps', 'next', { n: 1 });
    await second.client.waitFor('steps', finished);
    const texts = sent.get('steps') ?? [];
    expect(texts.length).toBeGreaterThanOrEqual(2);
    const recorded = (await second.recording('steps')).executions.flatMap((e) =>
      e.episodes.map((episode) => JSON.stringify(episode.payload)),
    );
    expect(texts).toEqual(recorded);
  });
});
