/**
 * Bad input: a generated corpus of malformed and hostile requests against every route of the app
 * (sent byte for byte over raw sockets, so nothing normalizes them), then a flood of 1 000
 * concurrent replies to one run, on the local host with Azurite storage (as `npm start` runs it).
 * Expectations: never a 5xx (and a 4xx wherever the request is invalid), the host keeps answering
 * after every burst, the runs in progress finish exactly as scripted, and no token or key ever
 * appears in the host's logs. The tests run in order and share the host and its runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogEntry } from '../../devhost/log';
import { request } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';
import { forEachLimited } from '../support/for-each-limited';
import { sendRaw } from '../support/raw-http';
import { ENDED, FLOOD_REPLY, FLOODED, PROTECTED, SLOW_MS } from './support/bad-input-stories';
import { bodyCases } from './support/corpus/body-cases';
import { credentialCases } from './support/corpus/credential-cases';
import { credentialsOf, type CorpusContext, type HostileRequest } from './support/corpus/hostile-request';
import { routeCases } from './support/corpus/route-cases';
import { securityCases } from './support/corpus/security-cases';
import { FigureCounter, recordFigures } from './support/figures';
import { multisetDifference } from './support/run-comparison';
import {
  conversationOfEvents,
  eventLogProblems,
  reply,
  runEvents,
  runStatus,
  startRun,
  waitForEnd,
  waitForRequest,
  WORKFLOW,
  type StartedRun,
} from './support/run-api';
import {
  expectedConversation,
  firstMessage,
  humanReplies,
  storyResponder,
  type Story,
} from './support/run-stories';

const FLOOD = 1_000;
const BURST_CONCURRENCY = 8;

const counter = new FigureCounter();
const notes: string[] = [];
afterAll(() => {
  recordFigures({ part: 'bad-input', figures: counter.figures, notes });
});

/**
 * What made fetch fail ("fetch failed" alone hides whether the connect timed out or was reset). Read
 * by shape: fetch's errors come from Node's realm, not jest's, so `instanceof Error` is false here.
 */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause !== 'object' || cause === null) return '';
  const code = typeof cause.code === 'string' ? `${cause.code}: ` : '';
  return ` (${code}${String(cause.message)})`;
}

describe('hostile and malformed requests', () => {
  let app: AppHost;
  let dataDir = '';
  const logs: LogEntry[] = [];
  let protectedRuns: StartedRun[] = [];
  let flooded: StartedRun;
  let sacrificial: StartedRun;
  let ended: StartedRun;
  const openRequests = new Map<string, string>();
  let corpus: HostileRequest[] = [];
  const startedByCorpus: (StartedRun & { label: string })[] = [];

  async function start(story: Story): Promise<StartedRun> {
    counter.add({ runs: 1 });
    return startRun(app.api, { message: firstMessage(story), mode: story.mode });
  }

  async function expectHostAnswers(after: string): Promise<void> {
    const response = await request<{ workflows: { name: string }[] }>(`${app.api}/workflows`);
    if (response.status !== 200 || response.body.workflows[0]?.name !== WORKFLOW) {
      throw new Error(
        `After ${after}, GET /api/workflows answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    }
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-bad-input-'));
    app = await startAppHost({
      storage: 'azurite',
      dataDir,
      model: {
        responder: storyResponder([...PROTECTED, FLOODED, ENDED], {
          delayMs: (call) => (call.key.startsWith('[P3]') ? SLOW_MS : 0),
          // The sacrificial run and runs the corpus starts: a coordinator that asks how it can help.
          fallback: () => ({ text: 'How can I help you today?' }),
        }),
      },
      log: (entry) => logs.push(entry),
    });
    protectedRuns = await Promise.all(PROTECTED.map((story) => start(story)));
    flooded = await start(FLOODED);
    sacrificial = await start({
      tag: '[S]',
      mode: 'human_in_loop',
      steps: [{ kind: 'customer', text: '[S] Hello, I have a question.' }],
    });
    ended = await start(ENDED);
    await waitForEnd(app.api, ended);
    for (const run of [protectedRuns[0]!, protectedRuns[1]!, flooded, sacrificial]) {
      openRequests.set(run.runId, (await waitForRequest(app.api, run)).requestId);
    }
    const context: CorpusContext = {
      functionKey: app.host.functionKey,
      protectedRuns,
      sacrificial,
      finished: ended,
      openRequests,
    };
    corpus = [
      ...bodyCases(context),
      ...routeCases(context),
      ...credentialCases(context),
      ...securityCases(context),
    ];
    counter.add({ requests: corpus.length + FLOOD });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers each of more than 500 hostile requests with a 4xx (never a 5xx) and keeps serving after every burst', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    counter.add({ serverErrors: 0, unanswered: 0 });
    const failures: string[] = [];
    for (const category of new Set(corpus.map((r) => r.category))) {
      const burst = corpus.filter((r) => r.category === category);
      await forEachLimited(burst, BURST_CONCURRENCY, async (hostile) => {
        const response = await sendRaw(app.host.port, hostile);
        const status = response.status;
        if (status === undefined) counter.add({ unanswered: 1 });
        else if (status >= 500) counter.add({ serverErrors: 1 });
        const mustReject = (hostile.accept ?? 'rejected') === 'rejected';
        if (status === undefined || status >= 500 || (mustReject && status < 400)) {
          failures.push(
            `[${category}] ${hostile.method} ${hostile.label} -> ${status ?? response.problem}: ${response.body.slice(0, 200)}`,
          );
        }
        if (status === 202 && hostile.target.toString().endsWith('/run')) {
          startedByCorpus.push({ ...(JSON.parse(response.body) as StartedRun), label: hostile.label });
        }
      });
      await expectHostAnswers(`the ${category} burst`);
    }
    if (failures.length > 0) {
      throw new Error(
        `${failures.length} of ${corpus.length} hostile requests were mishandled:\n${failures.join('\n')}`,
      );
    }
  }, 120_000);

  it('takes exactly one of 1 000 concurrent replies to one open request, tells every other one so, and finishes that run', async () => {
    const requestId = openRequests.get(flooded.runId)!;
    const answers = await Promise.all(
      Array.from({ length: FLOOD }, (_, i) =>
        request<{ error?: { code: string } }>(`${app.api}/workflows/${WORKFLOW}/respond/${flooded.runId}`, {
          token: flooded.token,
          body: { message: `flood reply #${i}`, requestId },
        }).then(
          (response) => `${response.status}${response.body?.error ? ` ${response.body.error.code}` : ''}`,
          (error: unknown) => `no answer: ${String(error)}${causeOf(error)}`,
        ),
      ),
    );
    counter.add({
      serverErrors: answers.filter((a) => a.startsWith('5')).length,
      unanswered: answers.filter((a) => a.startsWith('no answer')).length,
    });
    const tally: Record<string, number> = {};
    for (const answer of answers) tally[answer] = (tally[answer] ?? 0) + 1;
    // One winner; every loser learns that another reply answered the request (or, once the run
    // has moved on, that it no longer waits).
    expect(tally['202']).toBe(1);
    expect(
      Object.keys(tally).filter(
        (answer) =>
          !['202', '409 reply_superseded', '409 not_awaiting_input', '409 run_finished'].includes(answer),
      ),
    ).toEqual([]);
    notes.push(
      `flood: ${FLOOD} concurrent replies to one request answered ${JSON.stringify(tally)}; 1 entered the conversation`,
    );
    await expectHostAnswers('the flood of replies');

    const end = await waitForEnd(app.api, flooded, 60_000);
    expect(end).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition' });
    const taken = end.conversation.filter((m) => m.role === 'user' && /^flood reply #\d+$/.test(m.text));
    expect(taken).toHaveLength(1);
    expect(end.conversation).toEqual(
      expectedConversation(FLOODED).map((m) => (m.text === FLOOD_REPLY ? taken[0] : m)),
    );
  }, 120_000);

  it('finishes the runs that were in progress exactly as scripted, with sound event logs', async () => {
    const [p1, p2] = protectedRuns;
    for (const [run, story] of [
      [p1!, PROTECTED[0]!],
      [p2!, PROTECTED[1]!],
    ] as const) {
      const open = await waitForRequest(app.api, run);
      expect(open.requestId).toBe(openRequests.get(run.runId));
      expect((await reply(app.api, run, humanReplies(story)[0]!, open.requestId)).status).toBe(202);
    }
    let lost = 0;
    let duplicated = 0;
    for (const [index, run] of protectedRuns.entries()) {
      const expected = expectedConversation(PROTECTED[index]!);
      const status = await waitForEnd(app.api, run, 30_000);
      const events = await runEvents(app.api, run);
      const diff = multisetDifference(expected, status.conversation);
      lost += diff.missing;
      duplicated += diff.extra + (events.length - new Set(events.map((e) => e.seq)).size);
      expect(status).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition' });
      expect(status.conversation).toEqual(expected);
      expect(conversationOfEvents(events)).toEqual(expected);
      expect(eventLogProblems(events)).toEqual([]);
      expect(events.filter((e) => e.type === 'warning')).toEqual([]);
    }
    counter.add({ lost, duplicated });
  }, 60_000);

  it('leaves every run the corpus started (odd but valid messages) waiting for the customer', async () => {
    for (const run of startedByCorpus) {
      const state = await waitForRequest(app.api, run, 20_000).then(
        () => 'awaiting_input',
        async (error: unknown) => `${String(error)}; status ${JSON.stringify(await runStatus(app.api, run))}`,
      );
      const logged = logs.filter(
        (l) => ['warning', 'error'].includes(l.level) && l.message.includes(run.runId),
      );
      expect(`${run.label}: ${state} ${logged.map((l) => l.message).join(' | ')}`).toBe(
        `${run.label}: awaiting_input `,
      );
    }
    expect((await runStatus(app.api, sacrificial)).state).not.toBe('failed');
    counter.add({ runs: startedByCorpus.length, modelRequests: app.model.requests.length });
  }, 120_000);

  it('never writes a token or a key to the host logs', () => {
    const secrets = new Set<string>([
      app.host.functionKey,
      app.host.masterKey,
      ...[...protectedRuns, flooded, sacrificial, ended, ...startedByCorpus].map((r) => r.token),
      ...corpus.flatMap(credentialsOf),
    ]);
    expect(logs.length).toBeGreaterThan(0);
    const leaks = logs.flatMap((entry) =>
      [...secrets]
        .filter((secret) => entry.message.includes(secret))
        .map((secret) => `${secret.slice(0, 12)}… in "${entry.message.slice(0, 200)}"`),
    );
    expect(leaks).toEqual([]);
  });
});
