/**
 * How many storage requests the app makes per agent turn, counted on the wire: the app's run store
 * talks to a real Azurite through a proxy that records every request, while the local host's durable
 * engine keeps its own state in memory (so every request seen is the app's). An agent turn costs at
 * most two: its input (which on a first attempt also claims the answer preview) and its commit
 * (which also removes the preview, and stores the run's closing events when the turn ends the run
 * by its termination condition: such a run needs no finish activity). As shipped, a first attempt
 * that this process knows to be the first (the run started here, or an earlier turn ran here) and
 * whose first write is its commit stores its input there: one request
 * (`tests/durable/activities/turn-opening.test.ts` covers the other paths);
 * `DURABLE_HANDOFF_EXPERIMENTAL_TURN_INPUT_WITH_COMMIT=false` makes every attempt store its input
 * first. Writes of answer text that streams for longer than the preview's write interval come on
 * top; they are told apart by their row and never claim.
 */
import { newRunNonce } from '../../src/durable/start-handoff-run';
import { runStoreKey } from '../../src/durable/wire/run-instance';
import { OrchestratorHarness } from './support/orchestrator-harness';
import { request } from '../support/api-client';
import { useInMemoryAzurite } from '../support/in-memory-azurite';
import { startCountingProxy, tablePortOf, throughProxy, type CountingProxy } from '../support/counting-proxy';

const isPreviewTextWrite = (request: string): boolean => /^PUT .*RowKey='~preview'\)/.test(request);

// At the file's level, so it stops after the suite's own afterAll has stopped the host and the proxy.
const azurite = useInMemoryAzurite('requests-per-turn');

describe.each<{ label: string; env: Record<string, string>; perRun: number; perTurn: number }>([
  {
    label: 'its input stored with its commit when the process knows the attempt is the first, as shipped',
    env: {},
    // The first turn of a run started past this process's HTTP API (by the engine's client here,
    // as by another instance) stores its input first; the second turn, here after the first, does not.
    perRun: 3,
    perTurn: 1,
  },
  {
    label: 'its input stored first, DURABLE_HANDOFF_EXPERIMENTAL_TURN_INPUT_WITH_COMMIT=false',
    env: { DURABLE_HANDOFF_EXPERIMENTAL_TURN_INPUT_WITH_COMMIT: 'false' },
    perRun: 4,
    perTurn: 2,
  },
])(
  'storage requests per agent turn, $label (a real Azurite, counted on the wire)',
  ({ env, perRun, perTurn }) => {
    const harness = new OrchestratorHarness();
    let proxy: CountingProxy;

    beforeAll(async () => {
      const { connectionString } = azurite();
      proxy = await startCountingProxy(tablePortOf(connectionString));
      await harness.start({
        AzureWebJobsStorage: throughProxy(connectionString, proxy.port),
        ...env,
      });
    }, 60_000);

    afterAll(async () => {
      await harness.stop();
      await proxy?.close();
    });

    async function handoffRun(runId: string): Promise<{ requests: string[]; key: string }> {
      harness.script([
        {
          agent: 'coordinator_agent',
          reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
        },
        {
          agent: 'shipping_agent',
          reply: {
            text: "I've located the package for order #12345; it will be delivered within 2 business days.",
          },
        },
      ]);
      const before = proxy.requests.length;
      // With an instance nonce, as the API starts every run: the run's store key is its own.
      const nonce = newRunNonce();
      await harness.startRun(
        runId,
        { message: 'I never received my order #12345', mode: 'autonomous' },
        (input) => ({ ...input, nonce }),
      );
      const output = await harness.finished(runId);
      expect(output).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition', turns: 2 });
      return { requests: proxy.requests.slice(before), key: runStoreKey({ runId, nonce }) };
    }

    it(`costs ${perRun} requests for a run of two agent turns started past the HTTP API, the run end included`, async () => {
      await handoffRun('warm-up-run'); // the run store creates its tables on first use
      const { requests, key } = await handoffRun('counted-run');
      const counted = requests.filter((request) => !isPreviewTextWrite(request));
      // Two turns (the handoff, and the answer whose commit also stores the run's end), each its
      // input (which on a first attempt also claims the answer preview) and its commit, or its
      // commit alone, which then also stores the input: nothing else, no finish.
      expect(counted).toEqual(Array.from({ length: perRun }, () => 'POST /devstoreaccount1/$batch'));
      // A preview claim of its own (a create of the preview row) would be a POST to the table.
      expect(requests.filter((request) => /^POST .*Events$/.test(request))).toEqual([]);
      // The run's end is stored as a finish stores it: numbered after the answer, with the conversation.
      const events = await harness.store.readEvents(key, 0);
      expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
      expect(events.slice(-2)).toMatchObject([
        { type: 'status', state: 'completed', stopReason: 'terminated_by_condition' },
        {
          type: 'output',
          stopReason: 'terminated_by_condition',
          conversation: [
            { role: 'user', text: 'I never received my order #12345' },
            { role: 'assistant', authorName: 'shipping_agent' },
          ],
        },
      ]);
      expect(await harness.store.readPreview(key)).toBeUndefined();
    });

    it(`costs ${perTurn} request(s) per agent turn and nothing more for a start and a status read over the HTTP API, once the run ended on this instance`, async () => {
      harness.script([
        {
          agent: 'coordinator_agent',
          reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
        },
        {
          agent: 'shipping_agent',
          reply: { text: 'Your package will be delivered within 2 business days.' },
        },
      ]);
      // The run's end is stamped with the engine's clock, and its token is checked against the real one.
      harness.clock.advance(Math.max(0, Date.now() - harness.clock.now().getTime()));
      const before = proxy.requests.length;
      const started = await request<{ runId: string; token: string }>(
        `${harness.app.api}/workflows/customer_support/run`,
        { body: { message: 'I never received my order #12345', mode: 'autonomous' } },
      );
      expect(started.status).toBe(202);
      const { runId, token } = started.body;
      await harness.finished(runId);
      const status = await request<{ state: string; conversation: unknown[] }>(
        `${harness.app.api}/workflows/customer_support/status/${runId}`,
        { token },
      );
      expect(status.body).toMatchObject({
        state: 'completed',
        stopReason: 'terminated_by_condition',
        turn: 2,
        conversation: [
          { role: 'user', authorName: 'user', text: 'I never received my order #12345' },
          {
            role: 'assistant',
            authorName: 'shipping_agent',
            text: 'Your package will be delivered within 2 business days.',
          },
        ],
      });
      const counted = proxy.requests.slice(before).filter((request) => !isPreviewTextWrite(request));
      // The two turns' inputs and commits (or commits alone); the status read answers from the conversation this
      // instance kept when the last turn stored the run's end (another instance reads the events).
      expect(counted).toEqual(Array.from({ length: 2 * perTurn }, () => 'POST /devstoreaccount1/$batch'));
    });
  },
);
