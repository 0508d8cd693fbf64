/**
 * The TypeScript client of the durable-handoff HTTP API. It runs on Node 20+ and in browsers: it
 * uses the global `fetch` (or one you pass) and imports nothing of Node.
 */
import type { WorkflowEvent } from '../core/events';
import type { StartRunOptions } from '../core/run-input';
import type { WorkflowDescription } from '../core/run-plan';
import {
  RespondResponseSchema,
  RunHandleSchema,
  RunStatusResponseSchema,
  TerminateResponseSchema,
  WorkflowListSchema,
  type ApprovalAnswer,
  type RespondResponse,
  type RunHandle,
  type RunStatusResponse,
  type TerminateResponse,
} from './api-schemas';
import { callApi, type ApiTransport } from './api-transport';
import { transportFromOptions, type HandoffClientOptions } from './client-options';
import { fetchEventsPage, type RunEventsPage } from './events-page';
import { followRun, type FollowRunOptions, type RunStreamItem } from './follow-run';
import { runPath, type RunRef } from './run-ref';

/** Options every call accepts. */
export interface CallOptions {
  /** Aborts the request; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of `runStream(workflow, message, options)`: the start options but the message, and the stream's. */
export interface StartAndStreamOptions
  extends Omit<StartRunOptions, 'message'>, CallOptions, Omit<FollowRunOptions, 'after'> {}

/**
 * The events of one run as an async iterable, ending with its `output` event (with
 * `deltas: true`, previews of answers being written between them). Iterate it once; `run` tells
 * which run it follows (for `respond` and `terminate` while it streams).
 */
export interface RunStream<
  R extends RunRef = RunRef,
  T extends RunStreamItem = WorkflowEvent,
> extends AsyncIterable<T> {
  /** The run: the one given, or the one this call started (rejects if starting failed). */
  readonly run: Promise<R>;
}

/**
 * A client of one durable-handoff Functions app.
 *
 * @example
 * ```ts
 * const client = new HandoffClient({ baseUrl: 'http://localhost:7071' });
 * for await (const event of client.runStream('customer_support', 'I never received my order #12345', {
 *   mode: 'autonomous',
 * })) {
 *   if (event.type === 'executor_invoked') console.log(`⚡ Starting: ${event.executorId}`);
 *   if (event.type === 'output') console.log(event.conversation);
 * }
 * ```
 */
export class HandoffClient {
  /** The API root every path is relative to, e.g. `http://localhost:7071/api`. */
  readonly apiUrl: string;
  readonly #transport: ApiTransport;

  /** @throws {@link WorkflowInputError} when `baseUrl` is not an http(s) URL or another option is malformed. */
  constructor(options: HandoffClientOptions) {
    this.#transport = transportFromOptions(options);
    this.apiUrl = this.#transport.apiUrl;
  }

  /** The workflows the app runs: name, description, participants, start agent, edges, mode, version. */
  async listWorkflows(options: CallOptions = {}): Promise<WorkflowDescription[]> {
    const list = await callApi(
      this.#transport,
      { method: 'GET', path: '/workflows', signal: options.signal },
      WorkflowListSchema,
    );
    return list.workflows;
  }

  /**
   * Starts a run. Keep the returned handle: its `token` opens the run's other routes.
   *
   * @example
   * ```ts
   * const run = await client.startRun('customer_support', { message: 'I want a refund' });
   * const status = await client.status(run);
   * ```
   */
  startRun(workflow: string, options: StartRunOptions & CallOptions): Promise<RunHandle> {
    const { signal, ...body } = options;
    return callApi(
      this.#transport,
      { method: 'POST', path: `/workflows/${encodeURIComponent(workflow)}/run`, body, signal },
      RunHandleSchema,
    );
  }

  /**
   * Where the run stands: state, active agent, turn, the open request, the clean conversation; with
   * `timeline: true`, the run's timeline (turns with their tokens, tool calls, handoffs, waits).
   */
  status(run: RunRef, options: CallOptions & { timeline?: boolean } = {}): Promise<RunStatusResponse> {
    const path = `${runPath(run, 'status')}${options.timeline ? '?timeline=true' : ''}`;
    return callApi(
      this.#transport,
      { method: 'GET', path, token: run.token, signal: options.signal },
      RunStatusResponseSchema,
    );
  }

  /**
   * Answers the run's open request (a `request_info` event). A `reply` request takes a message: pass
   * its `requestId` to be sure the reply goes to that question (a stale one is refused with 409
   * `stale_request`). A `tool_approval` request takes an approval, and its `requestId` is required:
   * nobody should approve a call other than the one they were shown.
   *
   * @example
   * ```ts
   * for await (const event of client.runStream(run)) {
   *   if (event.type !== 'request_info') continue;
   *   if (event.kind === 'tool_approval') {
   *     await client.respond(run, { approved: false, reason: 'Refunds above $100 need a manager' }, { requestId: event.requestId });
   *   } else {
   *     await client.respond(run, 'Order #12345', { requestId: event.requestId });
   *   }
   * }
   * ```
   */
  respond(
    run: RunRef,
    message: string,
    options?: CallOptions & { requestId?: string },
  ): Promise<RespondResponse>;
  respond(
    run: RunRef,
    approval: ApprovalAnswer,
    options: CallOptions & { requestId: string },
  ): Promise<RespondResponse>;
  respond(
    run: RunRef,
    answer: string | ApprovalAnswer,
    options: CallOptions & { requestId?: string } = {},
  ): Promise<RespondResponse> {
    const requestId = options.requestId === undefined ? {} : { requestId: options.requestId };
    const body =
      typeof answer === 'string'
        ? { message: answer, ...requestId }
        : {
            ...requestId,
            approval: {
              approved: answer.approved,
              ...(answer.reason === undefined ? {} : { reason: answer.reason }),
            },
          };
    return callApi(
      this.#transport,
      { method: 'POST', path: runPath(run, 'respond'), token: run.token, body, signal: options.signal },
      RespondResponseSchema,
    );
  }

  /** Ends the run; it closes with `stopReason: "cancelled"` (409 `run_finished` if it had ended). */
  terminate(run: RunRef, options: CallOptions = {}): Promise<TerminateResponse> {
    return callApi(
      this.#transport,
      { method: 'POST', path: runPath(run, 'terminate'), token: run.token, signal: options.signal },
      TerminateResponseSchema,
    );
  }

  /** The run's stored events after `after` (default 0), as one JSON page, with the run's state. */
  events(run: RunRef, options: CallOptions & { after?: number } = {}): Promise<RunEventsPage> {
    return fetchEventsPage(this.#transport, run, options.after ?? 0, options.signal);
  }

  /**
   * Streams a run's events, the counterpart of the Agent Framework's `workflow.run_stream(...)`.
   *
   * - `runStream(run, options?)` follows an existing run from `options.after` (default: the start).
   * - `runStream(workflow, message, options?)` starts a run and follows it.
   *
   * Events are parsed with the core schemas and delivered once each, in `seq` order; the stream
   * reconnects after a dropped connection (see {@link FollowRunOptions}) and ends after `output`.
   * With `deltas: true` it also yields `agent_response_delta` previews while the model writes an
   * answer (typed: `event.type === 'agent_response_delta'`); the `agent_response` event that
   * follows is the answer.
   *
   * @example
   * ```ts
   * const stream = client.runStream('customer_support', 'I want a refund');
   * for await (const event of stream) {
   *   if (event.type === 'request_info') await client.respond(await stream.run, 'Order #12345');
   * }
   *
   * // Answers as they are written:
   * for await (const item of client.runStream(run, { deltas: true })) {
   *   if (item.type === 'agent_response_delta') process.stdout.write(item.delta);
   * }
   * ```
   */
  runStream(run: RunRef, options: FollowRunOptions & { deltas: true }): RunStream<RunRef, RunStreamItem>;
  runStream(run: RunRef, options?: FollowRunOptions): RunStream;
  runStream(
    workflow: string,
    message: string,
    options: StartAndStreamOptions & { deltas: true },
  ): RunStream<RunHandle, RunStreamItem>;
  runStream(workflow: string, message: string, options?: StartAndStreamOptions): RunStream<RunHandle>;
  runStream(
    target: RunRef | string,
    messageOrOptions?: string | FollowRunOptions,
    startOptions: StartAndStreamOptions = {},
  ): RunStream<RunRef, RunStreamItem> | RunStream<RunHandle, RunStreamItem> {
    if (typeof target !== 'string') {
      const options = typeof messageOrOptions === 'object' ? messageOrOptions : {};
      return this.#stream(Promise.resolve(target), options);
    }
    const message = typeof messageOrOptions === 'string' ? messageOrOptions : '';
    const { mode, runId, signal, reconnect, onConnection, deltas } = startOptions;
    const run = this.startRun(target, {
      message,
      ...(mode === undefined ? {} : { mode }),
      ...(runId === undefined ? {} : { runId }),
      ...(signal === undefined ? {} : { signal }),
    });
    return this.#stream(run, {
      ...(signal === undefined ? {} : { signal }),
      ...(reconnect === undefined ? {} : { reconnect }),
      ...(onConnection === undefined ? {} : { onConnection }),
      ...(deltas === undefined ? {} : { deltas }),
    });
  }

  #stream<R extends RunRef>(run: Promise<R>, options: FollowRunOptions): RunStream<R, RunStreamItem> {
    // The iteration reports a failed start; this keeps it from also being an unhandled rejection
    // when nobody awaits `run`.
    run.catch(() => undefined);
    const transport = this.#transport;
    return {
      run,
      [Symbol.asyncIterator]: () => followRun(transport, run, options),
    };
  }
}
