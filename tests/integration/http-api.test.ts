/**
 * Every route of the HTTP API through real HTTP on the local host (memory storage, in-memory Azurite
 * for the run store) against the scripted model server.
 */
import { startAppHost, type AppHost } from '../support/app-host';
import type { RunHandle } from '../../src/client/api-schemas';
import { request } from '../support/api-client';
import { TWO_REPLIES_RUN } from '../support/customer-support-runs';
import { startRunOver, statusWhen as runStatusWhen } from '../support/run-over-http';
import { handoffTo } from '../support/scripted-replies';

type Started = RunHandle;
type Status = {
  state: string;
  activeAgent: string;
  turn: number;
  pendingRequest: { requestId: string; agent: string; prompt: string } | null;
  conversation: Array<{ role: string; authorName: string; text: string }>;
  stopReason?: string;
};
type ErrorBody = { error: { code: string; message: string } };

describe('HTTP API', () => {
  let app: AppHost;
  const wf = () => `${app.api}/workflows/customer_support`;

  beforeAll(async () => {
    app = await startAppHost();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    app.model.reset();
  });

  const startRun = (body: Record<string, unknown>): Promise<Started> => startRunOver(app.api, body);
  const statusWhen = (run: Started, what: string, predicate: (s: Status) => boolean) =>
    runStatusWhen<Status>(run, what, predicate);

  async function awaitingRun(message = 'Hello'): Promise<{ run: Started; status: Status }> {
    app.model.addSteps({ agent: 'coordinator_agent', reply: { text: 'How can I help?' } });
    const run = await startRun({ message });
    const status = await statusWhen(run, 'a request for input', (s) => s.state === 'awaiting_input');
    return { run, status };
  }

  it('lists the workflows with their participants, start agent, edges and mode', async () => {
    const response = await request<{ workflows: Array<Record<string, unknown>> }>(`${app.api}/workflows`);
    expect(response.status).toBe(200);
    expect(response.body.workflows).toEqual([
      expect.objectContaining({
        name: 'customer_support',
        startAgent: 'coordinator_agent',
        interactionMode: 'human_in_loop',
        participants: expect.arrayContaining([expect.objectContaining({ name: 'shipping_agent' })]),
        edges: expect.arrayContaining([
          expect.objectContaining({ source: 'shipping_agent', target: 'refund_agent' }),
        ]),
      }),
    ]);
  });

  it('runs a human_in_loop conversation with two replies to the end', async () => {
    app.model.addSteps(...TWO_REPLIES_RUN.steps);
    const run = await startRun(TWO_REPLIES_RUN.start);
    const first = await statusWhen(run, 'the first question', (s) => s.state === 'awaiting_input');
    expect(first).toMatchObject({
      activeAgent: 'refund_agent',
      pendingRequest: TWO_REPLIES_RUN.firstQuestion,
    });
    const reply1 = await request(run.respondUri, {
      token: run.token,
      body: { message: TWO_REPLIES_RUN.replies[0], requestId: first.pendingRequest!.requestId },
    });
    expect(reply1.status).toBe(202);
    const second = await statusWhen(
      run,
      'the second question',
      (s) => s.state === 'awaiting_input' && s.pendingRequest?.requestId !== first.pendingRequest!.requestId,
    );
    const reply2 = await request(run.respondUri, {
      token: run.token,
      body: { message: TWO_REPLIES_RUN.replies[1] },
    });
    expect(reply2.status).toBe(202);
    const done = await statusWhen(run, 'completion', (s) => s.state === 'completed');
    expect(done.stopReason).toBe('terminated_by_condition');
    expect(done.conversation.map((m) => `${m.authorName}: ${m.text}`)).toEqual(TWO_REPLIES_RUN.transcript);
    expect(second.pendingRequest?.agent).toBe('refund_agent');
  });

  describe('bad input', () => {
    it.each([
      ['malformed JSON', '{"message":', 400, 'invalid_json'],
      ['a missing message', '{"mode":"autonomous"}', 400, 'invalid_request'],
      ['an empty message', '{"message":""}', 400, 'invalid_request'],
      [
        'a message over 32 KiB',
        JSON.stringify({ message: 'a'.repeat(32 * 1024 + 1) }),
        400,
        'invalid_request',
      ],
      ['a field of the wrong type', '{"message":"hi","mode":7}', 400, 'invalid_request'],
      ['an unknown field', '{"message":"hi","priority":"high"}', 400, 'invalid_request'],
    ])('start: %s is rejected with its status and code', async (_label, rawBody, status, code) => {
      const response = await request<ErrorBody>(`${wf()}/run`, {
        rawBody,
        headers: { 'content-type': 'application/json' },
        method: 'POST',
      });
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
      expect(response.body.error.message).toMatch(/\w{3,}/);
    });

    it('start: an unknown workflow answers 404', async () => {
      const response = await request<ErrorBody>(`${app.api}/workflows/nope/run`, { body: { message: 'hi' } });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('workflow_not_found');
    });

    it('start: a run id that exists answers 409 to a key holder; an anonymous caller may not choose one', async () => {
      const { run } = await awaitingRun();
      const response = await request<ErrorBody>(`${wf()}/run`, {
        body: { message: 'again', runId: run.runId },
        headers: { 'x-functions-key': app.host.functionKey },
      });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('run_exists');
      const anonymous = await Promise.all(
        [run.runId, 'surely-not-taken-4711'].map((runId) =>
          request<ErrorBody>(`${wf()}/run`, { body: { message: 'again', runId } }),
        ),
      );
      // The same answer whether or not the id is taken: no existence oracle.
      expect(anonymous.map((answer) => answer.status)).toEqual([403, 403]);
      expect(anonymous[0]!.body).toEqual(anonymous[1]!.body);
    });

    it('run-scoped routes answer 404 for an unknown run and for a run read through another workflow', async () => {
      const { run } = await awaitingRun();
      const unknownRun = await request<ErrorBody>(`${wf()}/status/no-such-run`, { token: run.token });
      expect(unknownRun.status).toBe(403); // the token is bound to its run: credentials are checked first
      const ghost = await request<ErrorBody>(`${wf()}/status/no-such-run`, {
        headers: { 'x-functions-key': app.host.functionKey },
      });
      expect(ghost.status).toBe(404);
      expect(ghost.body.error.code).toBe('run_not_found');
      const otherWorkflow = await request<ErrorBody>(`${app.api}/workflows/other_flow/status/${run.runId}`, {
        token: run.token,
      });
      expect(otherWorkflow.status).toBe(404);
    });

    it('respond: bad bodies answer 400, a stale request 409, a run not waiting 409 with its state', async () => {
      const { run, status } = await awaitingRun();
      const empty = await request<ErrorBody>(run.respondUri, { token: run.token, body: { message: '' } });
      expect([empty.status, empty.body.error.code]).toEqual([400, 'invalid_request']);
      const broken = await request<ErrorBody>(run.respondUri, {
        token: run.token,
        rawBody: 'not json',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      expect([broken.status, broken.body.error.code]).toEqual([400, 'invalid_json']);
      const plain = await request<ErrorBody>(run.respondUri, {
        token: run.token,
        rawBody: '{"message": "a simple cross-site request"}',
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
      });
      expect([plain.status, plain.body.error.code]).toEqual([415, 'unsupported_media_type']);
      const stale = await request<ErrorBody & { error: { pendingRequestId: string } }>(run.respondUri, {
        token: run.token,
        body: { message: 'hi', requestId: 'some-other-request' },
      });
      expect([stale.status, stale.body.error.code]).toEqual([409, 'stale_request']);
      expect(stale.body.error.pendingRequestId).toBe(status.pendingRequest!.requestId);

      app.model.addSteps({ agent: 'coordinator_agent', reply: { delayMs: 1500, then: { text: 'Noted.' } } });
      expect((await request(run.respondUri, { token: run.token, body: { message: 'first' } })).status).toBe(
        202,
      );
      await statusWhen(run, 'the run to work on the reply', (s) => s.state === 'running');
      const busy = await request<ErrorBody & { error: { state: string } }>(run.respondUri, {
        token: run.token,
        body: { message: 'second' },
      });
      expect([busy.status, busy.body.error.code, busy.body.error.state]).toEqual([
        409,
        'not_awaiting_input',
        'running',
      ]);
    });

    it('respond and terminate: a finished run answers 409 run_finished', async () => {
      const { run } = await awaitingRun();
      expect((await request(run.terminateUri, { token: run.token, method: 'POST' })).status).toBe(202);
      const ended = await statusWhen(run, 'termination', (s) => s.state === 'terminated');
      expect(ended.stopReason).toBe('cancelled');
      const reply = await request<ErrorBody>(run.respondUri, {
        token: run.token,
        body: { message: 'hello?' },
      });
      expect([reply.status, reply.body.error.code]).toEqual([409, 'run_finished']);
      const again = await request<ErrorBody>(run.terminateUri, { token: run.token, method: 'POST' });
      expect([again.status, again.body.error.code]).toEqual([409, 'run_finished']);
    });

    it('events: a non-numeric after answers 400', async () => {
      const { run } = await awaitingRun();
      const response = await request<ErrorBody>(`${run.eventsUri}?after=abc`, { token: run.token });
      expect([response.status, response.body.error.code]).toEqual([400, 'invalid_request']);
    });
  });

  describe('access', () => {
    it('answers 401 without credentials, 403 with another run’s token, 200 with the run’s token or a function key', async () => {
      const { run: a } = await awaitingRun('run A');
      const { run: b } = await awaitingRun('run B');
      for (const uri of [a.statusUri, a.eventsUri]) {
        const none = await request<ErrorBody>(uri);
        expect([none.status, none.body.error.code]).toEqual([401, 'unauthorized']);
        expect(none.headers.get('www-authenticate')).toBe('Bearer');
        const wrong = await request<ErrorBody>(uri, { token: b.token });
        expect([wrong.status, wrong.body.error.code]).toEqual([403, 'forbidden']);
        const forged = await request<ErrorBody>(uri, { token: `${a.token.slice(0, -2)}xx` });
        expect(forged.status).toBe(403);
        expect((await request(uri, { token: a.token })).status).toBe(200);
        expect((await request(uri, { headers: { 'x-functions-key': app.host.functionKey } })).status).toBe(
          200,
        );
        expect((await request(`${uri}?code=${app.host.functionKey}`)).status).toBe(200);
        const badKey = await request<ErrorBody>(uri, { headers: { 'x-functions-key': 'not-a-key' } });
        expect(badKey.status).toBe(401);
      }
      const viaQuery = await request(`${a.statusUri}?token=${encodeURIComponent(a.token)}`);
      expect(viaQuery.status).toBe(200);
      const replyWrongRun = await request<ErrorBody>(a.respondUri, {
        token: b.token,
        body: { message: 'hi' },
      });
      expect(replyWrongRun.status).toBe(403);
      const terminateNoToken = await request<ErrorBody>(a.terminateUri, { method: 'POST' });
      expect(terminateNoToken.status).toBe(401);
    });
  });

  describe('events', () => {
    it('streams the backlog, follows the run live, and resumes after Last-Event-ID without duplicates', async () => {
      app.model.addSteps(
        { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
        { agent: 'shipping_agent', reply: { text: 'Which address was it sent to?' } },
        { agent: 'shipping_agent', reply: { text: 'Found it: it will be delivered tomorrow.' } },
      );
      const run = await startRun({ message: 'Where is my parcel?' });
      const waiting = await statusWhen(run, 'the question', (s) => s.state === 'awaiting_input');

      // Backlog and then live: read the stream until request_info, then reply and read to the end.
      const controller = new AbortController();
      const response = await fetch(`${run.eventsUri}?token=${encodeURIComponent(run.token)}`, {
        headers: { accept: 'text/event-stream' },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const frames = (): Array<{ id: number; type: string }> =>
        [...text.matchAll(/id: (\d+)\ndata: \{"type":"(\w+)"/g)].map((m) => ({
          id: Number(m[1]),
          type: m[2]!,
        }));
      while (!frames().some((f) => f.type === 'request_info')) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
      const backlog = frames();
      expect(backlog.map((f) => f.id)).toEqual(backlog.map((_, i) => i + 1));

      await request(run.respondUri, {
        token: run.token,
        body: { message: '1 Main Street', requestId: waiting.pendingRequest!.requestId },
      });
      let liveFrames = 0;
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
        liveFrames = frames().length - backlog.length;
      }
      controller.abort();
      const all = frames();
      expect(liveFrames).toBeGreaterThan(3);
      expect(all.map((f) => f.id)).toEqual(all.map((_, i) => i + 1));
      expect(all.at(-1)?.type).toBe('output');

      // Resume from the middle: only what follows Last-Event-ID, nothing twice.
      const resumeFrom = backlog.length;
      const resumed = await fetch(run.eventsUri, {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${run.token}`,
          'last-event-id': String(resumeFrom),
        },
      });
      const rest = await resumed.text();
      const restIds = [...rest.matchAll(/id: (\d+)\n/g)].map((m) => Number(m[1]));
      expect(restIds).toEqual(all.slice(resumeFrom).map((f) => f.id));

      // The JSON form with ?after=.
      const json = await request<{ events: Array<{ seq: number }>; state: string }>(
        `${run.eventsUri}?after=${all.length - 2}`,
        { token: run.token },
      );
      expect(json.body.state).toBe('completed');
      expect(json.body.events.map((e) => e.seq)).toEqual([all.length - 1, all.length]);
    });
  });
});
