/**
 * Bad input: a generated corpus of malformed and hostile requests against every route of the app
 * (sent byte for byte over raw sockets, so nothing normalizes them), then a flood of 1 000
 * concurrent replies to one run. Expectations: never a 5xx (and a 4xx wherever the request is
 * invalid), the host keeps answering after every burst, the runs in progress finish exactly as
 * scripted, and no token or key ever appears in the host's logs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogEntry } from '../../devhost/log';
import { request } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';
import { sendRaw } from '../support/raw-http';
import { bodyCases } from './support/corpus/body-cases';
import { credentialCases } from './support/corpus/credential-cases';
import { KNOWN_ISSUES, type CorpusContext, type HostileRequest } from './support/corpus/hostile-request';
import { routeCases } from './support/corpus/route-cases';
import { FigureCounter, recordFigures } from './support/figures';
import { multisetDifference } from './support/run-comparison';
import { forEachLimited } from './support/run-driver';
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

/** Runs in progress during the corpus; each must end exactly as its story says. */
const PROTECTED: Story[] = [
  {
    tag: '[P1]',
    mode: 'human_in_loop',
    steps: [
      { kind: 'customer', text: '[P1] My parcel for order #777 has not arrived.' },
      { kind: 'answer', agent: 'coordinator_agent', text: '[P1] Which order number is it?' },
      { kind: 'human', text: '[P1] Order #777.' },
      { kind: 'handoff', agent: 'coordinator_agent', target: 'shipping_agent' },
      { kind: 'answer', agent: 'shipping_agent', text: '[P1] Order #777 will be delivered on Friday.' },
    ],
  },
  {
    tag: '[P2]',
    mode: 'human_in_loop',
    steps: [
      { kind: 'customer', text: '[P2] I would like my money back for order #888.' },
      { kind: 'handoff', agent: 'coordinator_agent', target: 'refund_agent' },
      { kind: 'answer', agent: 'refund_agent', text: '[P2] Why are you returning order #888?' },
      { kind: 'human', text: '[P2] It arrived broken.' },
      { kind: 'answer', agent: 'refund_agent', text: '[P2] Order #888 has been refunded.' },
    ],
  },
  {
    // Autonomous and slow (see SLOW_MS): it works while the corpus runs.
    tag: '[P3]',
    mode: 'autonomous',
    steps: [
      { kind: 'customer', text: '[P3] The app crashes when I sync.' },
      { kind: 'handoff', agent: 'coordinator_agent', target: 'technical_agent' },
      { kind: 'answer', agent: 'technical_agent', text: '[P3] Let me look at the crash logs.' },
      { kind: 'synthetic' },
      {
        kind: 'answer',
        agent: 'technical_agent',
        text: '[P3] The sync crash is gone in version 2.2: fixed.',
      },
    ],
  },
];
const SLOW_MS = 2_000;

/** The run the flood targets; its human reply is whichever flood reply wins. */
const FLOODED: Story = {
  tag: '[F]',
  mode: 'human_in_loop',
  steps: [
    { kind: 'customer', text: '[F] Refund my order #999, please.' },
    { kind: 'answer', agent: 'coordinator_agent', text: '[F] Which reason should I note for order #999?' },
    { kind: 'human', text: '(one flood reply)' },
    { kind: 'answer', agent: 'coordinator_agent', text: '[F] Order #999 has been refunded.' },
  ],
};

/** A run that has ended before the corpus. */
const ENDED: Story = {
  tag: '[X]',
  mode: 'autonomous',
  steps: [
    { kind: 'customer', text: '[X] Where is order #5?' },
    { kind: 'handoff', agent: 'coordinator_agent', target: 'shipping_agent' },
    { kind: 'answer', agent: 'shipping_agent', text: '[X] Order #5 will be delivered today.' },
  ],
};

const counter = new FigureCounter();
const notes: string[] = [];
afterAll(() => {
  recordFigures({ part: 'bad-input', figures: counter.figures, notes });
});

describe('hostile and malformed requests', () => {
  let app: AppHost;
  let dataDir = '';
  const logs: LogEntry[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-bad-input-'));
    // Azurite storage, as `npm start` runs the app.
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
  });
  afterAll(async () => {
    await app?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

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

  it('answers every hostile request with a 4xx (never a 5xx), keeps serving, and the runs in progress finish unharmed', async () => {
    const [p1, p2, p3] = await Promise.all(PROTECTED.map((story) => start(story)));
    const protectedRuns = [p1!, p2!, p3!];
    const flooded = await start(FLOODED);
    const sacrificial = await start({
      tag: '[S]',
      mode: 'human_in_loop',
      steps: [{ kind: 'customer', text: '[S] Hello, I have a question.' }],
    });
    const ended = await start(ENDED);
    expect(await waitForEnd(app.api, ended)).toMatchObject({ state: 'completed' });
    const openRequests = new Map<string, string>();
    for (const run of [p1!, p2!, flooded, sacrificial])
      openRequests.set(run.runId, (await waitForRequest(app.api, run)).requestId);

    const context: CorpusContext = {
      functionKey: app.host.functionKey,
      protectedRuns,
      sacrificial,
      finished: ended,
      openRequests,
    };
    const corpus = [...bodyCases(context), ...routeCases(context), ...credentialCases(context)];
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    counter.add({ requests: corpus.length + FLOOD });

    // Bursts by category; the host must answer after each one.
    const failures: string[] = [];
    const knownIssueHits: string[] = [];
    const startedByCorpus: (StartedRun & { label: string })[] = [];
    const categories = [...new Set(corpus.map((r) => r.category))];
    for (const category of categories) {
      const burst = corpus.filter((r) => r.category === category);
      await forEachLimited(burst, BURST_CONCURRENCY, async (hostile: HostileRequest) => {
        const response = await sendRaw(app.host.port, hostile);
        const status = response.status;
        const rejected = (hostile.accept ?? 'rejected') === 'rejected';
        const known = hostile.knownIssue ? KNOWN_ISSUES[hostile.knownIssue] : undefined;
        if (known && status !== undefined && known(status, response.body)) {
          knownIssueHits.push(`${hostile.knownIssue}: ${hostile.label}`);
          return;
        }
        if (status === undefined || status >= 500 || (rejected && status < 400)) {
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
    if (knownIssueHits.length > 0) {
      notes.push(
        `${knownIssueHits.length} request(s) hit a known bug instead of a 4xx: ${[...new Set(knownIssueHits.map((h) => h.split(':')[0]))].join(', ')}`,
      );
    }
    if (failures.length > 0) {
      throw new Error(
        `${failures.length} of ${corpus.length} hostile requests were mishandled:\n${failures.join('\n')}`,
      );
    }

    // The flood: 1 000 concurrent replies to one open request.
    const floodRequest = openRequests.get(flooded.runId)!;
    const floodStatuses = await Promise.all(
      Array.from({ length: FLOOD }, (_, i) =>
        request(`${app.api}/workflows/${WORKFLOW}/respond/${flooded.runId}`, {
          token: flooded.token,
          body: { message: `flood reply #${i}`, requestId: floodRequest },
        }).then(
          (response) => response.status,
          (error: unknown) => `no answer: ${String(error)}`,
        ),
      ),
    );
    const floodFailures = floodStatuses.filter(
      (s) => typeof s !== 'number' || s >= 500 || (s !== 202 && s !== 409),
    );
    expect(floodFailures).toEqual([]);
    expect(floodStatuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(1);
    await expectHostAnswers('the flood of replies');
    const floodEnd = await waitForEnd(app.api, flooded, 60_000);
    expect(floodEnd).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition' });
    const accepted = floodEnd.conversation.filter(
      (m) => m.role === 'user' && /^flood reply #\d+$/.test(m.text),
    );
    expect(accepted).toHaveLength(1);
    expect(floodEnd.conversation).toEqual(
      expectedConversation(FLOODED).map((m) => (m.text === '(one flood reply)' ? accepted[0] : m)),
    );

    // The runs in progress: answer the two that wait, and all three end exactly as scripted.
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
      const story = PROTECTED[index]!;
      const status = await waitForEnd(app.api, run, 30_000);
      const events = await runEvents(app.api, run);
      const diff = multisetDifference(expectedConversation(story), status.conversation);
      lost += diff.missing;
      duplicated += diff.extra;
      expect(status).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition' });
      expect(status.conversation).toEqual(expectedConversation(story));
      expect(conversationOfEvents(events)).toEqual(expectedConversation(story));
      expect(eventLogProblems(events)).toEqual([]);
      expect(events.filter((e) => e.type === 'warning')).toEqual([]);
    }
    counter.add({ lost, duplicated });

    // Runs the corpus started (odd but valid messages) are healthy: they wait for the customer.
    for (const run of startedByCorpus) {
      const status = await waitForRequest(app.api, run, 20_000).then(
        () => 'awaiting_input',
        async (error: unknown) => `${String(error)}; status ${JSON.stringify(await runStatus(app.api, run))}`,
      );
      const warnings = logs.filter(
        (l) => l.level !== 'information' && l.level !== 'debug' && l.message.includes(run.runId),
      );
      expect(`${run.label}: ${status} ${warnings.map((w) => w.message).join(' | ')}`).toBe(
        `${run.label}: awaiting_input `,
      );
    }
    counter.add({ runs: startedByCorpus.length });
    expect((await runStatus(app.api, sacrificial)).state).not.toBe('failed');

    // No credential the corpus sent, or the host holds, appears in any log line.
    const secrets = new Set<string>([
      app.host.functionKey,
      app.host.masterKey,
      ...[...protectedRuns, flooded, sacrificial, ended, ...startedByCorpus].map((r) => r.token),
      ...corpus.flatMap(credentialsOf),
    ]);
    const leaks = logs.flatMap((entry) =>
      [...secrets]
        .filter((secret) => entry.message.includes(secret))
        .map((secret) => `${secret.slice(0, 12)}… in "${entry.message.slice(0, 200)}"`),
    );
    expect(leaks).toEqual([]);
  }, 240_000);
});

/** The credential values a request carries (Authorization, keys, ?token= and ?code=), long enough to matter. */
function credentialsOf(hostile: HostileRequest): string[] {
  const values: string[] = [];
  for (const [name, value] of hostile.headers ?? []) {
    const text = value.toString();
    if (name.toLowerCase() === 'authorization') values.push(text.replace(/^\S+\s+/, '').trim());
    if (name.toLowerCase() === 'x-functions-key') values.push(text);
  }
  const query = hostile.target.toString().split('?')[1] ?? '';
  for (const pair of query.split('&')) {
    const [key, value] = pair.split('=');
    if ((key === 'token' || key === 'code') && value) values.push(decodeURIComponent(value));
  }
  return values.filter((value) => value.length >= 12);
}
