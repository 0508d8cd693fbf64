/**
 * Drives many runs through the public HTTP API while the host is being killed: starts them,
 * watches their status, sends each human reply when its request opens, and survives restarts by
 * retrying whatever a connection error interrupted. It also records when each run's status first
 * showed each turn as done (the model-call audit needs it).
 */
import { forEachLimited } from '../../support/for-each-limited';
import { FINAL_STATES, WORKFLOW, type RunStatusBody } from './run-api';
import { approvalAnswers, firstMessage, humanReplies, type Story } from './run-stories';

/** Per-request deadline: a host that accepted a request and then hangs must not stall the loop. */
const REQUEST_TIMEOUT_MS = 10_000;
/** How many requests one round sends at once. */
const ROUND_CONCURRENCY = 6;

/** One run as the driver knows it. */
export interface DrivenRun {
  story: Story;
  runId: string;
  /** Empty: the driver reads its runs with the host's function key. */
  token: '';
  functionKey: string;
  started: boolean;
  /** The last status read. */
  status: RunStatusBody | undefined;
  /**
   * Request ids in the order they were first seen open, by kind: the n-th reply request gets the
   * story's n-th human reply, the n-th approval request its n-th approval answer.
   */
  requests: string[];
  approvals: string[];
  /** Request ids whose reply is known to have arrived. */
  answered: Set<string>;
  /** When the status first showed turn n as done (status.turn >= n). */
  turnSeenDoneAt: Map<number, number>;
}

type Outcome = { kind: 'answer'; status: number; body: unknown } | { kind: 'unreachable' };

/** See the module comment. */
export class RunDriver {
  readonly runs: DrivenRun[];
  /** Answers the API should never give (a 5xx, an unexpected 4xx), and replies a story lacks. */
  readonly problems: string[] = [];
  /** How many runs may be started so far (the crash loop raises it after restarts). */
  startQuota = 0;
  /**
   * When the latest request that the API answered was sent (0: none yet): an answer to a request
   * sent after a host's spawn came from that host. A 503 of a host still starting is no answer.
   */
  answeredSentAt = 0;
  readonly #api: string;
  readonly #followApi: string;
  readonly #requestTimeoutMs: number;
  readonly #functionKey: string;

  /**
   * The driver chooses its run ids and reads its runs with the host's function key: a start whose
   * answer was lost to a kill (the retry then gets 409 run_exists) never hands it the run's token.
   * `options.followApi` (default `api`) is where status reads and replies go: another instance of
   * the app when runs are started through one and answered through another.
   * `options.requestTimeoutMs` (default 10 s) is how long a request may take before it counts as
   * unreachable and is sent again.
   */
  constructor(
    api: string,
    stories: readonly Story[],
    runIdPrefix: string,
    functionKey: string,
    options: { followApi?: string; requestTimeoutMs?: number } = {},
  ) {
    this.#api = api;
    this.#followApi = options.followApi ?? api;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.#functionKey = functionKey;
    this.runs = stories.map((story) => {
      const runId = `${runIdPrefix}-${story.tag.replace(/[^A-Za-z0-9]/g, '')}`;
      return {
        story,
        runId,
        token: '' as const,
        functionKey,
        started: false,
        status: undefined,
        requests: [],
        approvals: [],
        answered: new Set(),
        turnSeenDoneAt: new Map(),
      };
    });
  }

  /** Runs not yet seen in a final state. */
  unfinished(): DrivenRun[] {
    return this.runs.filter((run) => !run.status || !FINAL_STATES.includes(run.status.state));
  }

  /** One round: start runs up to the quota, read every unfinished run, send the replies due. */
  async round(): Promise<void> {
    const work = this.runs.filter((run, index) =>
      run.started ? this.unfinished().includes(run) : index < this.startQuota,
    );
    await forEachLimited(work, ROUND_CONCURRENCY, (run) =>
      run.started ? this.#follow(run) : this.#start(run),
    );
  }

  async #start(run: DrivenRun): Promise<void> {
    const outcome = await this.#send('POST', `run`, {
      message: firstMessage(run.story),
      mode: run.story.mode,
      runId: run.runId,
    });
    if (outcome.kind === 'unreachable') return;
    const code = errorCode(outcome.body);
    if (outcome.status === 202 || (outcome.status === 409 && code === 'run_exists')) run.started = true;
    else this.#unexpected(`start of ${run.runId}`, outcome);
  }

  async #follow(run: DrivenRun): Promise<void> {
    const outcome = await this.#send('GET', `status/${run.runId}`, undefined, this.#followApi);
    if (outcome.kind === 'unreachable') return;
    if (outcome.status !== 200) {
      this.#unexpected(`status of ${run.runId}`, outcome);
      return;
    }
    const status = outcome.body as RunStatusBody;
    run.status = status;
    const now = Date.now();
    for (let turn = 1; turn <= status.turn; turn += 1) {
      if (!run.turnSeenDoneAt.has(turn)) run.turnSeenDoneAt.set(turn, now);
    }
    const open = status.state === 'awaiting_input' ? status.pendingRequest : null;
    if (!open) return;
    const approval = open.kind === 'tool_approval';
    const seen = approval ? run.approvals : run.requests;
    if (!seen.includes(open.requestId)) seen.push(open.requestId);
    // An open request means every earlier one was answered.
    for (const id of [...run.requests, ...run.approvals]) if (id !== open.requestId) run.answered.add(id);
    if (run.answered.has(open.requestId)) return;
    const index = seen.indexOf(open.requestId);
    const answer = approval ? approvalAnswers(run.story)[index] : humanReplies(run.story)[index];
    if (answer === undefined) {
      this.problems.push(
        `${run.runId} opened ${approval ? 'approval' : 'reply'} request #${index + 1}, which its story does not have`,
      );
      return;
    }
    const sent = await this.#send(
      'POST',
      `respond/${run.runId}`,
      typeof answer === 'string'
        ? { message: answer, requestId: open.requestId }
        : { approval: answer, requestId: open.requestId },
      this.#followApi,
    );
    if (sent.kind === 'unreachable') return; // sent again next round if the request is still open
    const code = errorCode(sent.body);
    // reply_superseded: a reply sent again after a kill ate the answer to the first, which won.
    if (
      sent.status === 202 ||
      (sent.status === 409 &&
        (code === 'stale_request' || code === 'not_awaiting_input' || code === 'reply_superseded'))
    ) {
      run.answered.add(open.requestId);
    } else {
      this.#unexpected(`reply to ${run.runId}`, sent);
    }
  }

  async #send(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    api: string = this.#api,
  ): Promise<Outcome> {
    const sentAt = Date.now();
    try {
      const response = await fetch(`${api}/workflows/${WORKFLOW}/${path}`, {
        method,
        headers: {
          'x-functions-key': this.#functionKey,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#requestTimeoutMs),
      });
      const text = await response.text();
      // The host answers 503 (retry-after) between binding its port and serving the app, as a
      // platform does during a cold start: the app is not up yet, so this is "unreachable" too.
      if (response.status === 503 && response.headers.get('retry-after') !== null)
        return { kind: 'unreachable' };
      this.answeredSentAt = Math.max(this.answeredSentAt, sentAt);
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep the text
      }
      return { kind: 'answer', status: response.status, body: parsed };
    } catch {
      // Refused, reset or timed out: the host is down or was killed mid-request.
      return { kind: 'unreachable' };
    }
  }

  #unexpected(what: string, outcome: Outcome & { kind: 'answer' }): void {
    this.problems.push(`${what} answered ${outcome.status}: ${JSON.stringify(outcome.body).slice(0, 300)}`);
  }
}

function errorCode(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === 'string' ? error.code : undefined;
}
