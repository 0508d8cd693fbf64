import {
  createDurableEngine,
  createMemoryStore,
  VirtualClock,
  type DurableEngine,
  type InstanceStore,
} from '../../../../devhost/durable';
import type { FunctionInvoker } from '../../../../devhost/contracts';
import { countingInvoker } from '../support/counting-invoker';
import { finished, useFixtureEngines } from '../support/fixture-engines';
import { waitUntil } from '../support/wait-until';

const DAY = 24 * 60 * 60 * 1000;
const BASE_URL = 'http://localhost:7071';

describe('createDurableEngine', () => {
  const fixture = useFixtureEngines();
  const engine = (
    store: InstanceStore,
    clock: VirtualClock,
    settings = {},
    stopTimeoutMs?: number,
    invoker: FunctionInvoker = fixture.worker(),
  ): DurableEngine =>
    fixture.engine({
      invoker,
      store,
      clock,
      settings,
      baseUrl: BASE_URL,
      ...(stopTimeoutMs === undefined ? {} : { stopTimeoutMs }),
    });

  it('re-arms a pending durable timer when a new engine starts on the same store', async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock();
    const first = engine(store, clock);
    await first.start();
    await first.client.startNew('eventOrTimer', { instanceId: 'rearm', input: { timeoutMs: DAY } });
    await first.idle();
    await first.stop();

    const second = engine(store, clock);
    await second.start();
    clock.advance(DAY);
    await second.idle();
    expect(await second.client.getStatus('rearm')).toMatchObject({
      runtimeStatus: 'Completed',
      output: { winner: 'timer' },
    });
  });

  it("gives an instance started without a version host.json's defaultVersion", async () => {
    const versioned = engine(createMemoryStore(), new VirtualClock(), { defaultVersion: '1.5' });
    await versioned.start();
    await versioned.client.startNew('reportsVersion', { instanceId: 'default-version' });
    await versioned.client.startNew('reportsVersion', { instanceId: 'given-version', version: '1.4' });
    expect(await versioned.client.waitFor('default-version', finished, { timeoutMs: 10_000 })).toMatchObject({
      output: { version: '1.5' },
    });
    expect(await versioned.client.waitFor('given-version', finished, { timeoutMs: 10_000 })).toMatchObject({
      output: { version: '1.4' },
    });
  });

  it('runs again the activities a stopped engine had scheduled but not completed (at least once)', async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock();
    // One activity slot: the first gated activity blocks, the other seven stay queued.
    let gatedStarted = 0;
    const watching: FunctionInvoker = {
      list: () => fixture.worker().list(),
      get: (name) => fixture.worker().get(name),
      invoke: (name, inputData, options) => {
        if (name === 'gatedWork') gatedStarted += 1;
        return fixture.worker().invoke(name, inputData, options);
      },
    };
    const first = engine(store, clock, { maxConcurrentActivityFunctions: 1 }, 50, watching);
    await first.start();
    const input = { runId: 'rerun', total: 8, limit: 3 };
    await first.client.startNew('concurrencyFanOut', { instanceId: 'rerun', input });
    await waitUntil(
      'the first gated activity to start',
      () => gatedStarted,
      (n) => n === 1,
      5000,
    );
    await first.stop();

    const second = engine(store, clock);
    await second.start();
    const done = await second.client.waitFor('rerun', finished, { timeoutMs: 10_000 });
    // 1 started by the stopped engine (its result was never written) + 8 run by the new one.
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { started: 9 } });
  });

  it('ends a wait that no instance can satisfy any more once stopped, with engine_stopped, not at its deadline', async () => {
    const stopping = engine(createMemoryStore(), new VirtualClock());
    await stopping.start();
    // A timer a day away on a virtual clock that never moves: the instance stays Running.
    await stopping.client.startNew('eventOrTimer', { instanceId: 'never-ends', input: { timeoutMs: DAY } });
    const wait = stopping.client.waitFor('never-ends', finished, { timeoutMs: 45_000 });
    const outcome = wait.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await stopping.idle();
    await stopping.stop();
    expect(await outcome).toMatchObject({
      code: 'engine_stopped',
      message: expect.stringContaining("waiting for instance 'never-ends'") as unknown,
    });
  });

  it('writes nothing once stopped', async () => {
    const stopped = engine(createMemoryStore(), new VirtualClock());
    await stopped.start();
    await stopped.stop();
    await expect(stopped.client.startNew('activityChain', { input: 'late' })).rejects.toMatchObject({
      code: 'engine_stopped',
    });
  });

  it('runs no more episodes at once than maxConcurrentOrchestratorFunctions allows', async () => {
    // Four instances, each with its start and its event queued before the engine starts: exactly
    // four orchestrator invocations, each held until two run at once (or all four have started).
    const { invoker, stats } = countingInvoker(fixture.worker(), 2, 4);
    const bounded = fixture.engine({
      invoker,
      store: createMemoryStore(),
      clock: new VirtualClock(),
      settings: { maxConcurrentOrchestratorFunctions: 2 },
      baseUrl: BASE_URL,
    });
    const ids = ['o1', 'o2', 'o3', 'o4'];
    for (const id of ids) {
      await bounded.client.startNew('waitForApproval', { instanceId: id });
      await bounded.client.raiseEvent(id, 'approve', id);
    }
    await bounded.start();
    for (const id of ids) await bounded.client.waitFor(id, finished, { timeoutMs: 10_000 });
    expect(stats).toMatchObject({ invocations: 4, max: 2 });
  });

  it('never runs two episodes of one instance at once, however many completions arrive together', async () => {
    const { invoker, stats } = countingInvoker(fixture.worker(), 1, 1);
    const exclusive = fixture.engine({
      invoker,
      store: createMemoryStore(),
      clock: new VirtualClock(),
      settings: { maxConcurrentActivityFunctions: 10, maxConcurrentOrchestratorFunctions: 10 },
      baseUrl: BASE_URL,
    });
    await exclusive.start();
    await exclusive.client.startNew('fanOutFanIn', {
      instanceId: 'fan',
      input: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    });
    expect(await exclusive.client.waitFor('fan', finished, { timeoutMs: 10_000 })).toMatchObject({
      output: 110,
    });
    expect(stats.invocations).toBeGreaterThan(1);
    expect(stats.maxPerInstance).toBe(1);
  });

  it('rejects a recording request for an instance it never ran, naming it', async () => {
    const fresh = engine(createMemoryStore(), new VirtualClock());
    await expect(fresh.recording('unknown')).rejects.toThrow(
      "No recording of instance 'unknown': this engine never ran it.",
    );
  });

  it('rejects a baseUrl that is not an absolute URL', () => {
    expect(() =>
      createDurableEngine({ invoker: fixture.worker(), store: createMemoryStore(), baseUrl: 'not a url' }),
    ).toThrow('baseUrl "not a url" is not an absolute URL; use e.g. http://localhost:7071.');
  });

  it('gives durableClient bindings the extension payload with the RPC base on the front door', () => {
    const payload = JSON.parse(
      engine(createMemoryStore(), new VirtualClock(), { hubName: 'PayloadHub' }).clientBindingPayload(),
    ) as Record<string, unknown>;
    expect(payload).toMatchObject({
      taskHubName: 'PayloadHub',
      rpcBaseUrl: `${BASE_URL}/durabletask/`,
      baseUrl: `${BASE_URL}/runtime/webhooks/durabletask`,
      requiredQueryStringParameters: '',
      managementUrls: {
        id: 'INSTANCEID',
        statusQueryGetUri: `${BASE_URL}/runtime/webhooks/durabletask/instances/INSTANCEID?taskHub=PayloadHub&connection=Storage`,
      },
      creationUrls: {
        createNewInstancePostUri: `${BASE_URL}/runtime/webhooks/durabletask/orchestrators/{functionName}[/{instanceId}]?`,
      },
    });
  });
});
