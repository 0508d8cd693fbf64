/**
 * The run-scoped HTTP handlers (status, respond, events, terminate) and the workflow list, called
 * in-process with constructed requests, their dependencies handed in: a Durable client that keeps
 * instances in memory, and the Table run store on Azurite.
 */
import { createHash } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { WorkflowEvent } from '../../src/core/events';
import { buildRunInput } from '../../src/durable/start-handoff-run';
import { TableRunStore } from '../../src/durable/store/table-run-store';
import { EndedConversations } from '../../src/durable/store/ended-conversations';
import { decodePayload } from '../../src/durable/store/entity-payload';
import type { RunStatus } from '../../src/durable/wire/run-status';
import { getRunEvents } from '../../src/functions/run-events';
import { respondToRun } from '../../src/functions/run-respond';
import { getRunStatus } from '../../src/functions/run-status';
import { terminateRun } from '../../src/functions/run-terminate';
import { listWorkflows } from '../../src/functions/workflows';
import { FunctionKeyValidator } from '../../src/http/key-check';
import type { RunInstanceStatus, RunManagementClient } from '../../src/http/run-management-client';
import { legacyTokenUnder, RunTokens } from '../../src/http/run-token';
import { withApiErrors } from '../../src/http/with-api-errors';
import { workflowRegistry } from '../../sample/src/workflows';
import { customerSupport } from '../../sample/src/workflows/customer-support';
import { useInMemoryAzurite } from '../support/in-memory-azurite';

const tokens = new RunTokens('unit-test-token-secret-0123456789');
// No host to ask: every function key is refused (the validator's own tests cover the host call).
const keys = new FunctionKeyValidator({ baseUrl: () => undefined, routePrefix: 'api' });
const T = '2026-11-24T09:00:00.000Z';

/** A Durable client over instances kept in memory, recording the events raised. */
function memoryClient(instances: Map<string, RunInstanceStatus>) {
  const raised: Array<{ instanceId: string; name: string; data: unknown }> = [];
  const client: RunManagementClient = {
    startNew: () => Promise.reject(new Error('not used by these routes')),
    raiseEvent: (instanceId, name, data) => {
      raised.push({ instanceId, name, data });
      return Promise.resolve();
    },
    getStatus: (instanceId) => Promise.resolve(instances.get(instanceId)),
  };
  return { client, raised };
}

function status(overrides: Partial<RunStatus> = {}): RunStatus {
  return {
    v: 1,
    workflow: 'customer_support',
    state: 'awaiting_input',
    activeAgent: 'refund_agent',
    turn: 2,
    pendingRequest: { requestId: 'req-1', agent: 'refund_agent', prompt: 'Which order?' },
    lastSeq: 4,
    handoffs: 1,
    generation: 1,
    ...overrides,
  };
}

/** Each test run's instance nonce (a start makes a random one; these are fixed per run id). */
function nonceOf(runId: string): string {
  return createHash('sha256').update(runId).digest('base64url').slice(0, 22);
}

/** Where the run store keeps the test run's data. */
function keyOf(runId: string): string {
  return `${runId}.${nonceOf(runId)}`;
}

/** The token the start answer would have handed out for the test run. */
function tokenOf(runId: string): string {
  return tokens.issue({ runId, nonce: nonceOf(runId) });
}

function waitingRun(runId: string): RunInstanceStatus {
  return {
    runtimeStatus: 'Running',
    input: buildRunInput(customerSupport, { message: 'I want a refund', runId, nonce: nonceOf(runId) }),
    output: null,
    customStatus: status({ nonce: nonceOf(runId) }),
    createdTime: T,
    // For a run that has ended: just now, within the time its tokens still read it.
    lastUpdatedTime: new Date().toISOString(),
  };
}

const events: WorkflowEvent[] = [
  { type: 'user_message', seq: 1, timestamp: T, text: 'I want a refund' },
  { type: 'handoff_sent', seq: 2, timestamp: T, source: 'coordinator_agent', target: 'refund_agent' },
  { type: 'agent_response', seq: 3, timestamp: T, agent: 'refund_agent', text: 'Which order?' },
  {
    type: 'request_info',
    seq: 4,
    timestamp: T,
    requestId: 'req-1',
    agent: 'refund_agent',
    prompt: 'Which order?',
  },
];

function request(
  method: 'GET' | 'POST',
  action: string,
  runId: string,
  init: {
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    workflow?: string;
    query?: string;
  } = {},
) {
  const workflow = init.workflow ?? 'customer_support';
  return new HttpRequest({
    method,
    url: `http://localhost:7071/api/workflows/${workflow}/${action}/${runId}${init.query ? `?${init.query}` : ''}`,
    params: { name: workflow, runId },
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: { string: JSON.stringify(init.body) } }),
  });
}

function context(functionName: string) {
  return new InvocationContext({ functionName });
}

/** An answer's JSON: a success body, or `{ error: { code, message, ...details } }`. */
type ApiBody = Record<string, unknown> & {
  error: Record<string, unknown> & { code: string; message: string };
};

async function json(response: unknown) {
  const init = (await response) as HttpResponseInit;
  return { status: init.status ?? 200, body: init.jsonBody as ApiBody, init };
}

describe('the run routes', () => {
  const azurite = useInMemoryAzurite('run-routes');
  let store: TableRunStore;
  let instances: Map<string, RunInstanceStatus>;
  let runNumber = 0;
  const newRunId = () => `route-run-${++runNumber}`;

  beforeAll(() => {
    store = new TableRunStore({
      kind: 'connection-string',
      connectionString: azurite().connectionString,
      tablePrefix: 'RunRoutes',
    });
  });
  /** A stored reply's row, read straight from the replies table. */
  async function readReply(key: string, replyId: string): Promise<Record<string, unknown>> {
    const table = TableClient.fromConnectionString(azurite().connectionString, 'RunRoutesReplies', {
      allowInsecureConnection: true,
    });
    const row = await table.getEntity<Record<string, unknown>>(key, replyId);
    return { ...(decodePayload(row) as Record<string, unknown>), handled: row.handled };
  }

  beforeEach(() => {
    instances = new Map();
  });

  function deps() {
    const { client, raised } = memoryClient(instances);
    return { client, raised, tokens, keys, store };
  }

  async function waitingRunWithEvents(): Promise<string> {
    const runId = newRunId();
    instances.set(runId, waitingRun(runId));
    await store.saveEvents(keyOf(runId), events);
    return runId;
  }

  describe('GET status', () => {
    const getStatus = (req: HttpRequest, d: ReturnType<typeof deps> & { ended?: EndedConversations }) =>
      json(withApiErrors((r, c) => getRunStatus(r, c, d))(req, context('getRunStatus')));

    it('shows a waiting run with its open request and the conversation its events tell', async () => {
      const runId = await waitingRunWithEvents();
      const { status: code, body } = await getStatus(
        request('GET', 'status', runId, { token: tokenOf(runId) }),
        deps(),
      );
      expect(code).toBe(200);
      expect(body).toEqual({
        runId,
        workflow: 'customer_support',
        state: 'awaiting_input',
        activeAgent: 'refund_agent',
        turn: 2,
        pendingRequest: { requestId: 'req-1', agent: 'refund_agent', prompt: 'Which order?', kind: 'reply' },
        conversation: [
          { role: 'user', authorName: 'user', text: 'I want a refund' },
          { role: 'assistant', authorName: 'refund_agent', text: 'Which order?' },
        ],
      });
    });

    it('shows a run that ended with the conversation this process keeps, as its events tell it, without reading them', async () => {
      const runId = newRunId();
      const conversation = [
        { role: 'user' as const, authorName: 'user', text: 'I want a refund' },
        { role: 'assistant' as const, authorName: 'refund_agent', text: 'Refunded.' },
      ];
      await store.saveEvents(keyOf(runId), [
        ...events.slice(0, 3),
        { type: 'status', seq: 4, timestamp: T, state: 'completed', stopReason: 'terminated_by_condition' },
        { type: 'output', seq: 5, timestamp: T, stopReason: 'terminated_by_condition', conversation },
      ]);
      instances.set(runId, {
        ...waitingRun(runId),
        runtimeStatus: 'Completed',
        output: {
          runId,
          workflow: 'customer_support',
          state: 'completed',
          stopReason: 'terminated_by_condition',
          turns: 2,
          usage: {},
        },
        customStatus: status({ state: 'completed', pendingRequest: null, nonce: nonceOf(runId) }),
      });
      let reads = 0;
      const counted = Object.assign(Object.create(store) as TableRunStore, {
        readEvents: (key: string, after: number) => {
          reads += 1;
          return store.readEvents(key, after);
        },
      });
      const ended = new EndedConversations();
      const read = (timeline = false) =>
        getStatus(
          request('GET', 'status', runId, {
            token: tokenOf(runId),
            ...(timeline ? { query: 'timeline=true' } : {}),
          }),
          { ...deps(), store: counted, ended },
        );
      const first = await read();
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ state: 'completed', turn: 2, pendingRequest: null, conversation });
      expect(reads).toBe(1);
      // The next read finds the conversation kept (as the activity that stored the run's end keeps it).
      const again = await read();
      expect(again.body).toEqual(first.body);
      expect(reads).toBe(1);
      // A timeline needs the events.
      const withTimeline = await read(true);
      expect(withTimeline.body).toMatchObject({ ...first.body, timeline: expect.any(Object) });
      expect(reads).toBe(2);
    });

    it('answers 401 without credentials and 403 with the token of another run, before looking the run up', async () => {
      const runId = await waitingRunWithEvents();
      const none = await getStatus(request('GET', 'status', runId), deps());
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe('unauthorized');
      const other = await getStatus(
        request('GET', 'status', 'no-such-run', { token: tokenOf(runId) }),
        deps(),
      );
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('forbidden');
    });

    it("answers 404 for a run read through another workflow's route", async () => {
      const runId = await waitingRunWithEvents();
      const { status: code, body } = await getStatus(
        request('GET', 'status', runId, { token: tokenOf(runId), workflow: 'billing' }),
        deps(),
      );
      expect(code).toBe(404);
      expect(body.error.code).toBe('run_not_found');
    });
  });

  describe('POST respond', () => {
    const respond = (req: HttpRequest, d: ReturnType<typeof deps>) =>
      json(withApiErrors((r, c) => respondToRun(r, c, d))(req, context('respondToRun')));

    it('stores the reply, raises user_reply for the open request and answers 202 with the reply id', async () => {
      const runId = await waitingRunWithEvents();
      const d = deps();
      const { status: code, body } = await respond(
        request('POST', 'respond', runId, { token: tokenOf(runId), body: { message: 'Order 7' } }),
        d,
      );
      expect(code).toBe(202);
      expect(body).toEqual({ runId, requestId: 'req-1', replyId: expect.any(String) });
      expect(d.raised).toEqual([
        {
          instanceId: runId,
          name: 'user_reply',
          data: { replyId: body.replyId, requestId: 'req-1', message: 'Order 7' },
        },
      ]);
      expect(await store.unhandledReplies(keyOf(runId))).toEqual([
        expect.objectContaining({ replyId: body.replyId, message: 'Order 7', requestId: 'req-1' }),
      ]);
    });

    it('answers 409 stale_request for a reply to another request, and raises nothing', async () => {
      const runId = await waitingRunWithEvents();
      const d = deps();
      const { status: code, body } = await respond(
        request('POST', 'respond', runId, {
          token: tokenOf(runId),
          body: { message: 'Order 7', requestId: 'req-0' },
        }),
        d,
      );
      expect(code).toBe(409);
      expect(body.error).toMatchObject({ code: 'stale_request', pendingRequestId: 'req-1' });
      expect(d.raised).toEqual([]);
    });

    it('answers 409 not_awaiting_input while the run works, and run_finished once it has ended', async () => {
      const runId = newRunId();
      instances.set(runId, {
        ...waitingRun(runId),
        customStatus: status({ state: 'running', pendingRequest: null, nonce: nonceOf(runId) }),
      });
      const body = { message: 'Hello?' };
      const working = await respond(
        request('POST', 'respond', runId, { token: tokenOf(runId), body }),
        deps(),
      );
      expect(working.status).toBe(409);
      expect(working.body.error.code).toBe('not_awaiting_input');
      instances.set(runId, { ...waitingRun(runId), runtimeStatus: 'Terminated' });
      const ended = await respond(request('POST', 'respond', runId, { token: tokenOf(runId), body }), deps());
      expect(ended.status).toBe(409);
      expect(ended.body.error).toMatchObject({ code: 'run_finished', state: 'terminated' });
      // Both replies are on record (never sent), under the ids the answers name.
      for (const [answer, code] of [
        [working, 'not_awaiting_input'],
        [ended, 'run_finished'],
      ] as const) {
        expect(await readReply(keyOf(runId), answer.body.error.replyId as string)).toMatchObject({
          message: 'Hello?',
          refused: code,
          handled: true,
        });
      }
      expect(await store.unhandledReplies(keyOf(runId))).toEqual([]);
    });
  });

  describe('POST terminate', () => {
    const terminate = (req: HttpRequest, d: ReturnType<typeof deps>) =>
      json(withApiErrors((r, c) => terminateRun(r, c, d))(req, context('terminateRun')));

    it('raises cancel_run and answers 202 with the state the run was in', async () => {
      const runId = await waitingRunWithEvents();
      const d = deps();
      const { status: code, body } = await terminate(
        request('POST', 'terminate', runId, { token: tokenOf(runId) }),
        d,
      );
      expect(code).toBe(202);
      expect(body).toEqual({ runId, state: 'awaiting_input' });
      expect(d.raised).toEqual([
        { instanceId: runId, name: 'cancel_run', data: { reason: 'terminated through the API' } },
      ]);
    });

    it('answers 409 run_finished for a run that has ended', async () => {
      const runId = newRunId();
      instances.set(runId, { ...waitingRun(runId), runtimeStatus: 'Failed', output: 'boom' });
      const { status: code, body } = await terminate(
        request('POST', 'terminate', runId, { token: tokenOf(runId) }),
        deps(),
      );
      expect(code).toBe(409);
      expect(body.error).toMatchObject({ code: 'run_finished', state: 'failed' });
    });
  });

  describe('GET events', () => {
    const stream = { pollMs: 50, maxDurationMs: 1000 };
    const getEvents = (req: HttpRequest, d: ReturnType<typeof deps>) =>
      withApiErrors((r, c) => getRunEvents(r, c, { ...d, stream }))(req, context('getRunEvents'));

    it('answers the events after ?after as JSON, with the run state', async () => {
      const runId = await waitingRunWithEvents();
      const req = new HttpRequest({
        method: 'GET',
        url: `http://localhost:7071/api/workflows/customer_support/events/${runId}?after=2`,
        params: { name: 'customer_support', runId },
        headers: { authorization: `Bearer ${tokenOf(runId)}` },
      });
      const { status: code, body } = await json(getEvents(req, deps()));
      expect(code).toBe(200);
      // A reply request is stored without its kind (as before approvals) and read with `kind: 'reply'`.
      expect(body).toEqual({
        events: [events[2], { ...events[3], kind: 'reply' }],
        state: 'awaiting_input',
      });
    });

    it('streams the backlog after Last-Event-ID as SSE frames, then closes once the run has ended', async () => {
      const runId = await waitingRunWithEvents();
      instances.set(runId, { ...waitingRun(runId), runtimeStatus: 'Terminated' });
      const response = new HttpResponse(
        await getEvents(
          request('GET', 'events', runId, {
            token: tokenOf(runId),
            headers: { accept: 'text/event-stream', 'last-event-id': '3' },
          }),
          deps(),
        ),
      );
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const text = await response.text();
      expect(text.match(/^id: \d+$/gm)).toEqual(['id: 4']);
    });

    it('answers 400 for an after that is not an event seq', async () => {
      const runId = await waitingRunWithEvents();
      const req = new HttpRequest({
        method: 'GET',
        url: `http://localhost:7071/api/workflows/customer_support/events/${runId}?after=-1`,
        params: { name: 'customer_support', runId },
        headers: { authorization: `Bearer ${tokenOf(runId)}` },
      });
      const { status: code, body } = await json(getEvents(req, deps()));
      expect(code).toBe(400);
      expect(body.error.message).toContain('non-negative integer');
    });
  });

  describe('tokens bound to a run instance', () => {
    const getStatus = (req: HttpRequest, d: ReturnType<typeof deps>) =>
      json(withApiErrors((r, c) => getRunStatus(r, c, d))(req, context('getRunStatus')));

    it("refuses the token of a purged run to a new run that reuses its id, and never shows the old run's data", async () => {
      const runId = await waitingRunWithEvents();
      const oldToken = tokenOf(runId);
      // Purged through the management API (the app never hears of it), then started again: a new nonce.
      const newNonce = 'NEWNEWNEWNEWNEWNEWNEW0';
      instances.set(runId, {
        ...waitingRun(runId),
        input: buildRunInput(customerSupport, { message: 'Another customer', runId, nonce: newNonce }),
        customStatus: status({ nonce: newNonce, state: 'running', pendingRequest: null }),
      });
      const old = await getStatus(request('GET', 'status', runId, { token: oldToken }), deps());
      expect(old.status).toBe(403);
      expect(old.body.error.code).toBe('token_revoked');
      const fresh = await getStatus(
        request('GET', 'status', runId, { token: tokens.issue({ runId, nonce: newNonce }) }),
        deps(),
      );
      expect(fresh.status).toBe(200);
      // The earlier run's events are under its own key: the new run shows none of them.
      expect(fresh.body.conversation).toEqual([]);
    });

    it('revokes the tokens of a run some time after it ended; a function key still reads it', async () => {
      const runId = await waitingRunWithEvents();
      const endedAt = Date.parse('2026-12-01T10:00:00Z');
      let now = endedAt + 60_000;
      const clocked = new RunTokens('unit-test-token-secret-0123456789', [], {
        afterEndMs: 3_600_000,
        now: () => now,
      });
      instances.set(runId, {
        ...waitingRun(runId),
        runtimeStatus: 'Terminated',
        lastUpdatedTime: new Date(endedAt).toISOString(),
      });
      const token = clocked.issue({ runId, nonce: nonceOf(runId) });
      const within = await getStatus(request('GET', 'status', runId, { token }), {
        ...deps(),
        tokens: clocked,
      });
      expect(within.status).toBe(200);
      now = endedAt + 3_600_000;
      const after = await getStatus(request('GET', 'status', runId, { token }), {
        ...deps(),
        tokens: clocked,
      });
      expect(after.status).toBe(403);
      expect(after.body.error).toMatchObject({ code: 'token_revoked' });
      expect(after.body.error.message).toContain('DURABLE_HANDOFF_TOKEN_AFTER_END_HOURS');
    });

    it('accepts a dh1 token of the previous build for the run it started, until the TTL after its start', async () => {
      const runId = newRunId();
      const legacy = legacyTokenUnder('unit-test-token-secret-0123456789', runId);
      // A run the previous build started: no nonce in its input or status.
      instances.set(runId, {
        runtimeStatus: 'Running',
        input: buildRunInput(customerSupport, { message: 'I want a refund', runId }),
        output: null,
        customStatus: status(),
        createdTime: new Date(Date.now() - 60_000).toISOString(),
      });
      await store.saveEvents(runId, events);
      const ok = await getStatus(request('GET', 'status', runId, { token: legacy }), deps());
      expect(ok.status).toBe(200);
      expect(ok.body.conversation).toHaveLength(2);
      const short = new RunTokens('unit-test-token-secret-0123456789', [], { ttlMs: 30_000 });
      const expired = await getStatus(request('GET', 'status', runId, { token: legacy }), {
        ...deps(),
        tokens: short,
      });
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe('token_expired');
      // The same id started again by this build: the dh1 token grants nothing there.
      instances.set(runId, waitingRun(runId));
      const reused = await getStatus(request('GET', 'status', runId, { token: legacy }), deps());
      expect(reused.status).toBe(403);
      expect(reused.body.error.code).toBe('token_revoked');
    });

    it('answers 401 token_expired for a token past its TTL, before looking the run up', async () => {
      const runId = await waitingRunWithEvents();
      const issuedAt = Date.now() - 7_200_000;
      const expiredToken = new RunTokens('unit-test-token-secret-0123456789', [], {
        ttlMs: 3_600_000,
        now: () => issuedAt,
      }).issue({ runId, nonce: nonceOf(runId) });
      instances.delete(runId);
      const answer = await getStatus(request('GET', 'status', runId, { token: expiredToken }), deps());
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('token_expired');
    });
  });

  describe('two replies to one request', () => {
    const respond = (req: HttpRequest, d: ReturnType<typeof deps>) =>
      json(withApiErrors((r, c) => respondToRun(r, c, d))(req, context('respondToRun')));

    it('sends the first and answers the second 409 reply_superseded, recording it without sending it', async () => {
      const runId = await waitingRunWithEvents();
      const d = deps();
      const [a, b] = await Promise.all(
        ['Order 7', 'Order 8'].map((message) =>
          respond(request('POST', 'respond', runId, { token: tokenOf(runId), body: { message } }), d),
        ),
      );
      const answers = [a!, b!].sort((x, y) => x.status - y.status);
      expect(answers.map((answer) => answer.status)).toEqual([202, 409]);
      const [won, lost] = answers as [(typeof answers)[0], (typeof answers)[0]];
      expect(lost.body.error).toMatchObject({
        code: 'reply_superseded',
        requestId: 'req-1',
        acceptedReplyId: won.body.replyId,
      });
      // Only the winner reaches the run (the loser may raise it again, in case its sender crashed
      // before raising it; the run drops a reply id it has seen).
      expect(new Set(d.raised.map((r) => (r.data as { replyId: string }).replyId))).toEqual(
        new Set([won.body.replyId]),
      );
      // The run will only ever see the winner; the loser is kept, marked, as a record.
      expect((await store.unhandledReplies(keyOf(runId))).map((r) => r.replyId)).toEqual([won.body.replyId]);
      const lostReply = await readReply(keyOf(runId), lost.body.error.replyId as string);
      expect(lostReply).toMatchObject({ supersededBy: won.body.replyId, handled: true });
    });
  });

  it('sends again a reply that claimed the request but was never raised (its sender crashed), answering the retry 409', async () => {
    const runId = await waitingRunWithEvents();
    const earlier = { replyId: 'reply-before-crash', requestId: 'req-1', message: 'Order 7' };
    await store.saveReply(keyOf(runId), { ...earlier, receivedAt: T });
    expect(await store.claimRequest(keyOf(runId), 'req-1', earlier.replyId)).toBe(earlier.replyId);
    const d = deps();
    const retry = await json(
      withApiErrors((r, c) => respondToRun(r, c, d))(
        request('POST', 'respond', runId, { token: tokenOf(runId), body: { message: 'Order 7' } }),
        context('respondToRun'),
      ),
    );
    expect(retry.status).toBe(409);
    expect(retry.body.error).toMatchObject({ code: 'reply_superseded', acceptedReplyId: earlier.replyId });
    expect(d.raised).toEqual([{ instanceId: runId, name: 'user_reply', data: earlier }]);
  });

  it.each(['0x10', '1e3', '+5', ' 7', '007', '-1', '1.0', '99999999999'])(
    'answers 400 for after=%j, which is not a canonical event seq',
    async (after) => {
      const runId = await waitingRunWithEvents();
      const req = new HttpRequest({
        method: 'GET',
        url: `http://localhost:7071/api/workflows/customer_support/events/${runId}?after=${encodeURIComponent(after)}`,
        params: { name: 'customer_support', runId },
        headers: { authorization: `Bearer ${tokenOf(runId)}` },
      });
      const answer = await json(
        withApiErrors((r, c) =>
          getRunEvents(r, c, { ...deps(), stream: { pollMs: 50, maxDurationMs: 1000 } }),
        )(req, context('getRunEvents')),
      );
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    },
  );

  it('GET workflows lists each workflow with its participants, edges and version', async () => {
    const { body } = await json(listWorkflows(workflowRegistry));
    expect(body.workflows).toEqual([customerSupport.describe()]);
  });
});
