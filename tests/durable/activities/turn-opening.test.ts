/**
 * With `deferOpening` (as shipped; `DURABLE_HANDOFF_EXPERIMENTAL_TURN_INPUT_WITH_COMMIT=false`
 * turns it off), when a turn's first attempt stores what it was handed (its input events and the
 * user's message): with its commit (one request), or earlier when something needs it first (a
 * stream of this process listening, a step to act on, 200 ms passed, a return without a commit);
 * that only an attempt this process knows to be the turn's first defers (the run started here or
 * an earlier turn ran here, and no attempt of this turn did), any other stores the input before it
 * asks the model anything; and what an attempt does when it finds that an earlier attempt stored
 * it. The agent-turn activity runs here on its own, against a real Azurite (counted on the wire
 * through a proxy) and a scripted model server; a restart of the process is a new transcript cache.
 */
import { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { tool } from '../../../src/core/tool';
import type { WorkflowEvent } from '../../../src/core/events';
import { loadChatModel } from '../../../src/model/create-chat-model';
import { createAgentTurnHandler } from '../../../src/durable/activities/agent-turn-handler';
import { TranscriptCache } from '../../../src/durable/activities/transcript-cache';
import { newRunNonce } from '../../../src/durable/start-handoff-run';
import { runStoreKey } from '../../../src/durable/wire/run-instance';
import { LivePreviewChannel } from '../../../src/durable/preview/live-preview-channel';
import { loadStorageSettings } from '../../../src/durable/store/storage-settings';
import { TableRunStore } from '../../../src/durable/store/table-run-store';
import type { AgentTurnInput } from '../../../src/durable/wire/agent-turn-activity';
import type { WorkflowSource } from '../../../src/durable/workflow-source';
import { startScriptedModelServer, type ScriptedModelServer, type ScriptReply } from '../../../src/testing';
import { customerSupport } from '../../../sample/src/workflows/customer-support';
import {
  startCountingProxy,
  tablePortOf,
  throughProxy,
  type CountingProxy,
} from '../../support/counting-proxy';
import { useInMemoryAzurite } from '../../support/in-memory-azurite';
import { callTools, handoffTo } from '../../support/scripted-replies';

const BATCH = 'POST /devstoreaccount1/$batch';
const isPreviewTextWrite = (request: string): boolean => /^PUT .*RowKey='~preview'\)/.test(request);

// At the file's level, so it stops after the suite's own afterAll has closed the model server and the proxy.
const azurite = useInMemoryAzurite('turn-opening');

/** The runs' instance nonce: the activity keeps transcripts (and knows attempts) of nonce'd runs only. */
const NONCE = newRunNonce();

/** Where run `runId`'s data is in the run store. */
const keyOf = (runId: string): string => runStoreKey({ runId, nonce: NONCE });

const workflows: WorkflowSource = {
  has: (name) => name === customerSupport.name,
  get: () => customerSupport,
  list: () => [customerSupport],
};

/** The input the orchestrator hands the first turn of run `runId` (its seqs 1-5; the turn writes from 6). */
function firstTurn(runId: string): AgentTurnInput {
  const timestamp = '2026-12-05T09:00:00.000Z';
  const events: WorkflowEvent[] = [
    {
      type: 'started',
      workflow: 'customer_support',
      version: customerSupport.version,
      mode: 'autonomous',
      startAgent: 'coordinator_agent',
      seq: 1,
      timestamp,
    },
    { type: 'executor_invoked', executorId: 'input-conversation', seq: 2, timestamp },
    { type: 'user_message', text: 'Where is my order #12345?', seq: 3, timestamp },
    { type: 'executor_completed', executorId: 'input-conversation', seq: 4, timestamp },
    { type: 'executor_invoked', executorId: 'coordinator_agent', seq: 5, timestamp },
  ];
  return {
    schemaVersion: 2,
    runId,
    nonce: NONCE,
    workflow: 'customer_support',
    version: customerSupport.version,
    agent: 'coordinator_agent',
    turn: 1,
    knownMessages: 0,
    events,
    handledReplyIds: [],
    checkTerminationFirst: true,
    toolCallFiltering: 'handoff_only',
    firstSeq: 6,
    wantsPrompt: false,
  };
}

describe('the opening of an agent turn (a real Azurite, counted on the wire)', () => {
  let proxy: CountingProxy;
  let store: TableRunStore;
  let model: ScriptedModelServer;
  const channel = new LivePreviewChannel();
  /** Answers the requests no step answers (a test's held answer). */
  let respond: (() => Promise<ScriptReply>) | undefined;
  /** The orders the test tool looked up, one entry per run of the tool. */
  const lookups: string[] = [];
  const lookupOrder = tool({
    name: 'lookup_order',
    description: 'Look up an order by its number.',
    parameters: z.object({ orderId: z.string() }),
    execute: ({ orderId }) => {
      lookups.push(orderId);
      return Promise.resolve({ orderId, status: 'in_transit' });
    },
  });
  let handler: ReturnType<typeof createAgentTurnHandler>;
  /** This process's transcripts: what tells an attempt it is its turn's first here. */
  let transcripts: TranscriptCache;
  let chatModel: ReturnType<typeof loadChatModel>;
  /** The activity as a (re)started process has it: it knows nothing of the runs before. */
  const restart = (): void => {
    transcripts = new TranscriptCache();
    handler = createAgentTurnHandler({
      workflows,
      store: () => store,
      model: () => Promise.resolve(chatModel),
      previews: () => channel,
      transcripts,
      deferOpening: () => true,
      // Every agent has the lookup tool (and the workflow's handoffs).
      tools: () => Promise.resolve({ tools: [lookupOrder], warnings: [] }),
    });
  };
  /** The first turn's input of run `runId`, which this process started. */
  const startedHere = (runId: string): AgentTurnInput => {
    transcripts.started(keyOf(runId));
    return firstTurn(runId);
  };
  const context = () => new InvocationContext({ functionName: 'handoffAgentTurn', logHandler: () => {} });

  beforeAll(async () => {
    const { connectionString } = azurite();
    proxy = await startCountingProxy(tablePortOf(connectionString));
    store = new TableRunStore(
      loadStorageSettings({
        AzureWebJobsStorage: throughProxy(connectionString, proxy.port),
        DURABLE_HANDOFF_TASK_HUB: 'TurnOpening',
      }),
    );
    model = await startScriptedModelServer({ responder: () => respond?.() });
    chatModel = loadChatModel({
      env: {
        OPENAI_BASE_URL: model.baseUrl,
        OPENAI_API_KEY: 'test-key-not-a-secret',
        OPENAI_MODEL: 'scripted-model',
        MODEL_TIMEOUT_MS: '10000',
      },
    });
    restart();
    await store.readEvents('warm-up', 0); // the store creates its tables on first use
  }, 60_000);

  afterAll(async () => {
    await model?.close();
    await proxy?.close();
  });

  beforeEach(() => {
    model.reset();
    respond = undefined;
    lookups.length = 0;
  });

  /** Runs the activity on `input`; returns its output and the requests it made. */
  async function runTurn(input: AgentTurnInput): Promise<{ output: unknown; requests: string[] }> {
    const before = proxy.requests.length;
    const output = await handler(input, context());
    return { output, requests: proxy.requests.slice(before) };
  }

  async function expectInputStored(runId: string): Promise<void> {
    const events = await store.readEvents(keyOf(runId), 0);
    expect(events.slice(0, 5)).toEqual(firstTurn(runId).events);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  }

  it("stores a first attempt's input with its commit: one request for a turn that writes nothing before", async () => {
    model.addSteps({ agent: 'coordinator_agent', reply: handoffTo('shipping_agent') });
    const { output, requests } = await runTurn(startedHere('handoff-turn'));
    expect(output).toMatchObject({
      ok: true,
      turn: { kind: 'completed', decision: { kind: 'handoff', target: 'shipping_agent' } },
    });
    expect(requests).toEqual([BATCH]);
    await expectInputStored('handoff-turn');
    expect(await store.readTurnSlot(keyOf('handoff-turn'), 6)).toMatchObject({ kind: 'committed' });
    expect((await store.readMessages(keyOf('handoff-turn'), 3)).map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
    ]);
  });

  /** Answers the model's requests with `reply`, noting the storage requests made before each. */
  function answerNoting(reply: ScriptReply, since: number): string[][] {
    const seen: string[][] = [];
    respond = () => {
      seen.push(proxy.requests.slice(since));
      return Promise.resolve(reply);
    };
    return seen;
  }

  it('returns what was committed, without asking the model again, when it runs again after a restart between its commit and its return', async () => {
    model.addSteps({ agent: 'coordinator_agent', reply: handoffTo('shipping_agent') });
    const first = await runTurn(startedHere('crash-after-commit'));
    const events = await store.readEvents(keyOf('crash-after-commit'), 0);
    const messages = await store.readMessages(keyOf('crash-after-commit'), 3);
    restart();

    const again = await runTurn(firstTurn('crash-after-commit'));

    expect(again.output).toEqual(first.output);
    expect(model.requests).toHaveLength(1);
    expect(await store.readEvents(keyOf('crash-after-commit'), 0)).toEqual(events);
    expect(await store.readMessages(keyOf('crash-after-commit'), 3)).toEqual(messages);
  });

  it('returns what was committed, without asking the model again, when the same input comes again to the process that committed it', async () => {
    model.addSteps({ agent: 'coordinator_agent', reply: handoffTo('shipping_agent') });
    const first = await runTurn(startedHere('delivered-twice'));
    const events = await store.readEvents(keyOf('delivered-twice'), 0);

    const again = await runTurn(firstTurn('delivered-twice'));

    expect(again.output).toEqual(first.output);
    expect(model.requests).toHaveLength(1);
    expect(await store.readEvents(keyOf('delivered-twice'), 0)).toEqual(events);
  });

  it('stores its input before it asks the model anything when this process did not start the run (or restarted since)', async () => {
    restart();
    const before = proxy.requests.length;
    const seen = answerNoting(handoffTo('shipping_agent'), before);

    const { output, requests } = await runTurn(firstTurn('started-elsewhere'));

    expect(output).toMatchObject({ ok: true, turn: { kind: 'completed', decision: { kind: 'handoff' } } });
    expect(seen).toEqual([[BATCH]]);
    expect(requests).toEqual([BATCH, BATCH]);
    await expectInputStored('started-elsewhere');
  });

  it('stores its input before it asks the model anything when an attempt of the turn ran in this process before', async () => {
    model.addSteps({ agent: 'coordinator_agent', reply: { status: 503 } });
    // The first attempt failed after it stored its input (a failure the orchestrator retries).
    expect((await runTurn(startedHere('second-attempt'))).output).toMatchObject({ ok: false, retry: true });
    const before = proxy.requests.length;
    const seen = answerNoting(handoffTo('shipping_agent'), before);

    // Delivered again as it was (as Durable does after a lost completion, or a retry of a throw).
    const { output } = await runTurn(firstTurn('second-attempt'));

    expect(output).toMatchObject({ ok: true, turn: { kind: 'completed', decision: { kind: 'handoff' } } });
    // The opening (which finds the input stored and reads what the attempt recorded) came first.
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(BATCH);
  });

  /** What an earlier attempt of run `runId`'s first turn left: its input, a tool's call and its result. */
  async function earlierRecords(runId: string, input: AgentTurnInput): Promise<void> {
    const earlier = await store.openTurn(keyOf(runId), 6, input.events, {
      at: 0,
      messages: [{ role: 'user', text: 'Where is my order #12345?' }],
    });
    expect(earlier.first).toBe(true);
    const call = { id: 'call_recorded', name: 'lookup_order', arguments: '{"orderId":"12345"}' };
    await store.recordTurnStep(keyOf(runId), 6, 'm001', {
      message: { role: 'assistant', authorName: 'coordinator_agent', text: '', toolCalls: [call] },
      usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2, requests: 1 },
    });
    await store.recordTurnStep(keyOf(runId), 6, 't001-000', {
      callId: 'call_recorded',
      text: '{"orderId":"12345","status":"in_transit"}',
      ok: true,
    });
  }

  async function expectRecordedToolKept(runId: string): Promise<void> {
    expect(lookups).toEqual([]);
    const events = await store.readEvents(keyOf(runId), 0);
    expect(events.filter((event) => event.type === 'tool_call').map((event) => event.callId)).toEqual([
      'call_recorded',
    ]);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  }

  it('replays what an attempt before a restart recorded: the recorded answer is not asked for again, the tool that ran does not run again', async () => {
    const input = firstTurn('earlier-records');
    // An attempt opened the turn, recorded the model's call of the tool and the tool's result, and
    // the process crashed before it asked the model again.
    await earlierRecords('earlier-records', input);
    restart();
    // Only the answer after the recorded tool result is asked for.
    model.addSteps({ agent: 'coordinator_agent', reply: handoffTo('shipping_agent') });

    const { output } = await runTurn(input);

    expect(output).toMatchObject({ ok: true, turn: { kind: 'completed', decision: { kind: 'handoff' } } });
    expect(model.requests).toHaveLength(1);
    model.assertComplete();
    await expectRecordedToolKept('earlier-records');
  });

  it('runs again from the records of an attempt that ran in another process while this one kept the run: the tool that ran does not run again', async () => {
    const input = startedHere('records-elsewhere');
    // Another instance ran an attempt (this one cannot know of it): it opened the turn, recorded
    // the model's call of the tool and the tool's result, and crashed.
    await earlierRecords('records-elsewhere', input);
    model.addSteps(
      // This attempt's own first answer (the price of deferring): it would run the tool, but learns
      // of the records first.
      { agent: 'coordinator_agent', reply: callTools(['lookup_order', { orderId: '12345' }, 'call_fresh']) },
      // The run again replays the recorded answer and tool result, then asks for the next answer.
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
    );

    const { output } = await runTurn(input);

    expect(output).toMatchObject({ ok: true, turn: { kind: 'completed', decision: { kind: 'handoff' } } });
    model.assertComplete();
    await expectRecordedToolKept('records-elsewhere');
  });

  it('keeps its own answer when an earlier attempt stored the input and recorded nothing: the model is asked once', async () => {
    const input = startedHere('earlier-opening');
    // An earlier attempt opened the turn (its timer, say) and crashed while it waited on the model.
    await store.openTurn(keyOf('earlier-opening'), 6, input.events, {
      at: 0,
      messages: [{ role: 'user', text: 'Where is my order #12345?' }],
    });
    model.addSteps({ agent: 'coordinator_agent', reply: handoffTo('shipping_agent') });

    const { output } = await runTurn(input);

    expect(output).toMatchObject({ ok: true, turn: { kind: 'completed', decision: { kind: 'handoff' } } });
    expect(model.requests).toHaveLength(1);
    expect(await store.readTurnSlot(keyOf('earlier-opening'), 6)).toMatchObject({ kind: 'committed' });
    await expectInputStored('earlier-opening');
  });

  it('stores the input before it runs a tool, and records the tool once', async () => {
    model.addSteps(
      { agent: 'coordinator_agent', reply: callTools(['lookup_order', { orderId: '12345' }, 'call_1']) },
      { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
    );
    const { output, requests } = await runTurn(startedHere('tool-turn'));
    expect(output).toMatchObject({ ok: true, turn: { kind: 'completed', decision: { kind: 'handoff' } } });
    expect(lookups).toEqual(['12345']);
    // The opening (the input, before the tool ran), the tool's record with the response before it,
    // and the commit.
    expect(requests.filter((request) => request === BATCH)).toHaveLength(2);
    expect((await store.readTurn(keyOf('tool-turn'), 6)).steps.has('t001-000')).toBe(true);
    await expectInputStored('tool-turn');
  });

  it('opens at the first piece of text when a stream of this process listens: nothing reaches it before the input and the claim are stored', async () => {
    const heard: { attempt: number; text: string; requestsBefore: string[] }[] = [];
    const before = proxy.requests.length;
    const stop = channel.subscribe(keyOf('listened-turn'), (preview) =>
      heard.push({
        attempt: preview.attempt,
        text: preview.text,
        requestsBefore: proxy.requests.slice(before),
      }),
    );
    try {
      model.addSteps({
        agent: 'coordinator_agent',
        reply: { text: 'Let me look into that for you right away.', stream: { chunkDelayMs: 5 } },
      });
      const { output, requests } = await runTurn(startedHere('listened-turn'));
      expect(output).toMatchObject({ ok: true, turn: { kind: 'completed' } });
      expect(heard.length).toBeGreaterThan(0);
      // The first thing the stream heard came after the opening's write (the input and the claim).
      expect(heard[0]!.requestsBefore).toEqual([BATCH]);
      expect(heard.every((preview) => preview.attempt === 1)).toBe(true);
      expect(heard.at(-1)!.text).toBe('Let me look into that for you right away.');
      expect(requests.filter((request) => !isPreviewTextWrite(request))).toEqual([BATCH, BATCH]);
      await expectInputStored('listened-turn');
      expect(await store.readPreview(keyOf('listened-turn'))).toBeUndefined();
    } finally {
      stop();
    }
  });

  it('stores nothing before the commit of an answer written within 200 ms that no stream of this process listens to', async () => {
    model.addSteps({
      agent: 'coordinator_agent',
      reply: { text: 'Let me look into that for you right away.', stream: { chunkDelayMs: 1 } },
    });
    const { output, requests } = await runTurn(startedHere('unlistened-turn'));
    expect(output).toMatchObject({ ok: true, turn: { kind: 'completed' } });
    expect(requests).toEqual([BATCH]);
    await expectInputStored('unlistened-turn');
    expect(await store.readPreview(keyOf('unlistened-turn'))).toBeUndefined();
  });

  it("stores the input of a turn still waiting on the model after 200 ms: the run's followers see the user's message", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    respond = async () => {
      await held;
      return handoffTo('shipping_agent');
    };
    const before = proxy.requests.length;
    const running = handler(startedHere('held-turn'), context());
    try {
      const deadline = Date.now() + 10_000;
      while ((await store.readEvents(keyOf('held-turn'), 0)).length < 5) {
        if (Date.now() > deadline) throw new Error('the held turn never stored its input');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The model has not answered: the turn is open, not committed, and its preview is claimed.
      expect(await store.readTurnSlot(keyOf('held-turn'), 6)).toBeUndefined();
      expect(await store.readPreview(keyOf('held-turn'))).toMatchObject({
        preview: { attempt: 1, text: '' },
      });
    } finally {
      release();
    }
    expect(await running).toMatchObject({ ok: true, turn: { kind: 'completed' } });
    const turnRequests = proxy.requests.slice(before).filter((request) => request === BATCH);
    expect(turnRequests).toEqual([BATCH, BATCH]);
    await expectInputStored('held-turn');
    expect(await store.readPreview(keyOf('held-turn'))).toBeUndefined();
  });

  it('stores its input before it returns without a commit (a model failure the orchestrator retries)', async () => {
    model.addSteps({ agent: 'coordinator_agent', reply: { status: 503 } });
    const { output, requests } = await runTurn(startedHere('failed-turn'));
    expect(output).toMatchObject({ ok: false, retry: true });
    expect(requests).toEqual([BATCH]);
    await expectInputStored('failed-turn');
    expect(await store.readTurnSlot(keyOf('failed-turn'), 6)).toBeUndefined();
  });
});
