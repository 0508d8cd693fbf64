/**
 * durable-handoff's spans and metrics, on the stable OpenTelemetry API only: the SDK, exporters and
 * their settings are the app's (or `telemetry-export.ts`'s) choice. Without an SDK every call here
 * is a no-op of the API.
 *
 * A run is one trace. Its root span (`invoke_workflow <workflow>`) is made when the run starts and
 * its context kept in the orchestration input; every activity of the run puts its spans under it,
 * whichever instance runs it and however late. The orchestrator writes no spans, so its replays
 * cannot write any twice.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context as otelContext,
  trace,
  type Attributes,
  type Context,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type Span,
  type SpanContext,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { ChatModel, GenerateOptions, ModelRequest, ModelResponse, TokenUsage } from '../core/model';
import type { FunctionTool, ToolContext, ToolOutput } from '../core/tool';
import type { TurnJournal } from '../model/agent-turn/turn-journal';
import type { RunTrace } from '../durable/wire/run-trace';
import { GEN_AI, HANDOFF, METRIC, OPERATION, SCOPE_NAME } from './gen-ai-conventions';
import { contentText, inputMessagesJson, outputMessagesJson } from './message-content';
import { modelIdentity } from './model-identity';
import { runContext, runTraceOf } from './run-trace-context';

/** Where spans and metrics go, and whether message content is recorded. */
export interface TelemetryProviders {
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  /** Record prompts, answers, tool arguments and results (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`). */
  captureContent: boolean;
}

const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];
const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
const WAIT_BUCKETS = [1, 5, 15, 30, 60, 300, 900, 3600, 14400, 86400, 604800];

/** The name of an error for `error.type`: a durable-handoff error's code, else its class name. */
function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name !== '') return name;
  }
  return '_OTHER';
}

function failSpan(span: Span, error: unknown): void {
  span.setAttribute(GEN_AI.errorType, errorType(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
  });
}

/**
 * What a journal step answers: `step(run)` either runs `run` (a first time) or returns what an
 * earlier attempt recorded, and then `replayed` notes it.
 */
async function replayedOr<T>(
  step: (run: () => Promise<T>) => Promise<T>,
  run: () => Promise<T>,
  replayed: (recorded: T) => void,
): Promise<T> {
  let ran = false;
  const recorded = await step(() => {
    ran = true;
    return run();
  });
  if (!ran) replayed(recorded);
  return recorded;
}

/** What an agent turn's span says about how the turn ended. */
export type TurnOutcome =
  | { kind: 'handoff'; target: string; usage: TokenUsage }
  | {
      kind: 'respond' | 'awaiting_approval' | 'terminated_before_turn' | 'already_committed';
      usage?: TokenUsage;
    }
  | { kind: 'failed'; error: unknown; retryable: boolean };

/**
 * A human's wait that ended: from the request's event to the answer's, or to the run's end when no
 * answer came in time (`timed_out`) or the run was cancelled first (`unanswered`).
 */
export interface HumanWait {
  agent: string;
  requestId: string;
  kind: 'reply' | 'tool_approval';
  since: Date;
  until: Date;
  outcome: 'answered' | 'timed_out' | 'unanswered';
}

/** The spans of one agent turn attempt: the `invoke_agent` span and what goes under it. */
export class TurnTelemetry {
  readonly #telemetry: HandoffTelemetry;
  readonly #span: Span;
  readonly #context: Context;
  readonly #attributes: { runId: string; workflow: string; agent: string };
  readonly #startedAt = performance.now();

  constructor(
    telemetry: HandoffTelemetry,
    span: Span,
    parent: Context,
    attributes: { runId: string; workflow: string; agent: string },
  ) {
    this.#telemetry = telemetry;
    this.#span = span;
    this.#context = trace.setSpan(parent, span);
    this.#attributes = attributes;
  }

  /** True when the span is recorded (an SDK is installed and the run's trace is sampled). */
  get recording(): boolean {
    return this.#span.isRecording();
  }

  /** The turn span's ids, for log lines that point at it. */
  ids(): { traceId: string; spanId: string } {
    const { traceId, spanId } = this.#span.spanContext();
    return { traceId, spanId };
  }

  /** `model`, each call of it a `chat <model>` span under this turn (and in the GenAI client metrics). */
  model(model: ChatModel): ChatModel {
    const telemetry = this.#telemetry;
    const parent = this.#context;
    const { runId, agent } = this.#attributes;
    return {
      description: model.description,
      generate: (request: ModelRequest, options?: GenerateOptions): Promise<ModelResponse> =>
        telemetry.chat(model, request, options, parent, { runId, agent }),
    };
  }

  /** `tools`, each execution an `execute_tool <tool>` span under this turn. */
  tools(tools: readonly FunctionTool[]): FunctionTool[] {
    return tools.map((tool) => ({
      ...tool,
      execute: (args: unknown, toolContext: ToolContext) => this.#executeTool(tool, args, toolContext),
    }));
  }

  async #executeTool(tool: FunctionTool, args: unknown, toolContext: ToolContext): Promise<ToolOutput> {
    const attributes: Attributes = {
      [GEN_AI.operationName]: OPERATION.executeTool,
      [GEN_AI.toolName]: tool.name,
      [GEN_AI.toolType]: 'function',
      [GEN_AI.toolCallId]: toolContext.toolCallId,
      [GEN_AI.agentName]: toolContext.agentName,
      [GEN_AI.conversationId]: toolContext.runId,
    };
    if (this.#telemetry.captureContent) {
      attributes[GEN_AI.toolCallArguments] = contentText(JSON.stringify(args) ?? '');
    }
    const span = this.#telemetry.tracer.startSpan(
      `${OPERATION.executeTool} ${tool.name}`,
      { kind: SpanKind.INTERNAL, attributes },
      this.#context,
    );
    try {
      // The tool's own spans (with a context manager installed) go under this one.
      const output = await otelContext.with(trace.setSpan(this.#context, span), () =>
        tool.execute(args, toolContext),
      );
      if (this.#telemetry.captureContent) {
        const text = typeof output === 'string' ? output : (JSON.stringify(output) ?? '');
        span.setAttribute(GEN_AI.toolCallResult, contentText(text));
      }
      return output;
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * `journal`, noting on this turn's span each step it replays: a response or tool result an
   * earlier attempt recorded, which this attempt neither requests nor runs (so no `chat` or
   * `execute_tool` span stands for it twice).
   */
  journal(journal: TurnJournal): TurnJournal {
    const span = this.#span;
    return {
      response: (step, request) =>
        replayedOr(
          (run) => journal.response(step, run),
          request,
          (recorded) =>
            span.addEvent('durable_handoff.response_replayed', {
              [HANDOFF.step]: step,
              [GEN_AI.usageInputTokens]: recorded.usage.promptTokens,
              [GEN_AI.usageOutputTokens]: recorded.usage.completionTokens,
            }),
        ),
      toolResult: (step, index, callId, run) =>
        replayedOr(
          (execute) => journal.toolResult(step, index, callId, execute),
          run,
          () =>
            span.addEvent('durable_handoff.tool_result_replayed', {
              [HANDOFF.step]: step,
              [GEN_AI.toolCallId]: callId,
            }),
        ),
    };
  }

  /** Ends the turn's span with its outcome (and counts a handoff by its edge). */
  end(outcome: TurnOutcome): void {
    const span = this.#span;
    span.setAttribute(HANDOFF.outcome, outcome.kind);
    if (outcome.kind === 'failed') {
      failSpan(span, outcome.error);
      // A retryable failure is retried by Durable: the next attempt is another span of this turn.
      span.setAttribute('durable_handoff.retryable', outcome.retryable);
    } else if (outcome.usage) {
      span.setAttribute(GEN_AI.usageInputTokens, outcome.usage.promptTokens);
      span.setAttribute(GEN_AI.usageOutputTokens, outcome.usage.completionTokens);
    }
    if (outcome.kind === 'handoff') {
      span.addEvent('durable_handoff.handoff', {
        [HANDOFF.source]: this.#attributes.agent,
        [HANDOFF.target]: outcome.target,
      });
      this.#telemetry.handoffs.add(1, {
        [HANDOFF.workflow]: this.#attributes.workflow,
        [HANDOFF.source]: this.#attributes.agent,
        [HANDOFF.target]: outcome.target,
      });
    }
    span.end();
  }

  /** Milliseconds since the turn's span started. */
  elapsedMs(): number {
    return performance.now() - this.#startedAt;
  }
}

/** The spans and metrics of durable-handoff runs. */
export class HandoffTelemetry {
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly captureContent: boolean;
  readonly tokenUsage: Histogram;
  readonly operationDuration: Histogram;
  readonly runsStarted: Counter;
  readonly runsFinished: Counter;
  readonly handoffs: Counter;
  readonly humanWaits: Histogram;

  constructor(providers: TelemetryProviders) {
    this.tracer = providers.tracerProvider.getTracer(SCOPE_NAME);
    this.meter = providers.meterProvider.getMeter(SCOPE_NAME);
    this.captureContent = providers.captureContent;
    this.tokenUsage = this.meter.createHistogram(METRIC.tokenUsage, {
      description: 'Tokens used by model calls, by token type.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.operationDuration = this.meter.createHistogram(METRIC.operationDuration, {
      description: 'Duration of model calls.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    const counter = (name: string, description: string, unit: string) =>
      this.meter.createCounter(name, { description, unit });
    this.runsStarted = counter(METRIC.runsStarted, 'Runs started.', '{run}');
    this.runsFinished = counter(METRIC.runsFinished, 'Runs finished, by stop reason.', '{run}');
    this.handoffs = counter(METRIC.handoffs, 'Handoffs between agents, by edge.', '{handoff}');
    this.humanWaits = this.meter.createHistogram(METRIC.humanWait, {
      description: 'Time runs waited for a human (a reply or a tool approval).',
      unit: 's',
      advice: { explicitBucketBoundaries: WAIT_BUCKETS },
    });
  }

  /**
   * Starts a run's root span, `invoke_workflow <workflow>`: the root of a trace of its own, linked
   * to the start request's span when there is one (see `api-request-span.ts`). `trace` is what the
   * run keeps (undefined when nothing records: telemetry is off); `started` names the run and ends
   * the span, `failed` ends it with the error.
   */
  startRun(
    workflow: string,
    startRequest?: SpanContext,
  ): {
    trace: RunTrace | undefined;
    started(runId: string, mode: string): void;
    failed(error: unknown): void;
  } {
    const span = this.tracer.startSpan(
      `${OPERATION.invokeWorkflow} ${workflow}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: { [GEN_AI.operationName]: OPERATION.invokeWorkflow, [HANDOFF.workflow]: workflow },
        ...(startRequest
          ? { links: [{ context: startRequest, attributes: { [HANDOFF.linkedAs]: 'start_request' } }] }
          : {}),
      },
      ROOT_CONTEXT,
    );
    return {
      trace: span.isRecording() ? runTraceOf(span.spanContext()) : undefined,
      started: (runId, mode) => {
        span.setAttributes({ [GEN_AI.conversationId]: runId, [HANDOFF.runId]: runId, [HANDOFF.mode]: mode });
        span.end();
        this.runsStarted.add(1, { [HANDOFF.workflow]: workflow, [HANDOFF.mode]: mode });
      },
      failed: (error) => {
        failSpan(span, error);
        span.end();
      },
    };
  }

  /** Starts the `invoke_agent <agent>` span of one attempt of an agent turn, under the run's root. */
  agentTurn(turn: {
    trace: RunTrace | undefined;
    runId: string;
    workflow: string;
    agent: string;
    turn: number;
    resumed: boolean;
  }): TurnTelemetry {
    const parent = runContext(turn.trace);
    const span = this.tracer.startSpan(
      `${OPERATION.invokeAgent} ${turn.agent}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [GEN_AI.operationName]: OPERATION.invokeAgent,
          [GEN_AI.agentName]: turn.agent,
          [GEN_AI.conversationId]: turn.runId,
          [HANDOFF.runId]: turn.runId,
          [HANDOFF.workflow]: turn.workflow,
          [HANDOFF.turn]: turn.turn,
          ...(turn.resumed ? { [HANDOFF.resumed]: true } : {}),
        },
      },
      parent,
    );
    return new TurnTelemetry(this, span, parent, turn);
  }

  /** One model call as a `chat <model>` span in `parent`, with the GenAI client metrics. */
  async chat(
    model: ChatModel,
    request: ModelRequest,
    options: GenerateOptions | undefined,
    parent: Context,
    run: { runId: string; agent: string },
  ): Promise<ModelResponse> {
    const identity = modelIdentity(model.description, request.model);
    const common: Attributes = {
      [GEN_AI.operationName]: OPERATION.chat,
      [GEN_AI.providerName]: identity.provider,
      [GEN_AI.requestModel]: identity.model,
    };
    const attributes: Attributes = {
      ...common,
      [GEN_AI.agentName]: run.agent,
      [GEN_AI.conversationId]: run.runId,
    };
    if (this.captureContent) {
      attributes[GEN_AI.systemInstructions] = JSON.stringify([
        { type: 'text', content: contentText(request.instructions) },
      ]);
      attributes[GEN_AI.inputMessages] = inputMessagesJson(request.messages);
    }
    const span = this.tracer.startSpan(
      `${OPERATION.chat} ${identity.model}`,
      { kind: SpanKind.CLIENT, attributes },
      parent,
    );
    const started = performance.now();
    try {
      const response = await model.generate(request, options);
      span.setAttributes({
        [GEN_AI.responseId]: response.id,
        [GEN_AI.responseFinishReasons]: [response.finishReason],
        [GEN_AI.usageInputTokens]: response.usage.promptTokens,
        [GEN_AI.usageOutputTokens]: response.usage.completionTokens,
      });
      if (this.captureContent) {
        span.setAttribute(GEN_AI.outputMessages, outputMessagesJson(response.message, response.finishReason));
      }
      this.operationDuration.record((performance.now() - started) / 1000, common);
      this.tokenUsage.record(response.usage.promptTokens, { ...common, [GEN_AI.tokenType]: 'input' });
      this.tokenUsage.record(response.usage.completionTokens, { ...common, [GEN_AI.tokenType]: 'output' });
      return response;
    } catch (error) {
      failSpan(span, error);
      this.operationDuration.record((performance.now() - started) / 1000, {
        ...common,
        [GEN_AI.errorType]: errorType(error),
      });
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * A wait for the human that ended, as a span from the request to the answer under the run's
   * root, and a metric.
   */
  humanWait(
    wait: HumanWait,
    run: { trace: RunTrace | undefined; runId: string; workflow?: string | undefined },
  ): void {
    const seconds = Math.max(0, (wait.until.getTime() - wait.since.getTime()) / 1000);
    const span = this.tracer.startSpan(
      `await_human ${wait.agent}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: wait.since,
        attributes: {
          [GEN_AI.agentName]: wait.agent,
          [GEN_AI.conversationId]: run.runId,
          [HANDOFF.requestId]: wait.requestId,
          [HANDOFF.requestKind]: wait.kind,
          [HANDOFF.waitSeconds]: seconds,
          [HANDOFF.waitOutcome]: wait.outcome,
        },
      },
      runContext(run.trace),
    );
    span.end(wait.until);
    this.humanWaits.record(seconds, {
      [HANDOFF.requestKind]: wait.kind,
      [HANDOFF.waitOutcome]: wait.outcome,
      ...(run.workflow ? { [HANDOFF.workflow]: run.workflow } : {}),
    });
  }

  /** A run's end: a `finish_run` span under its root, and the runs-finished metric by stop reason. */
  runFinished(run: {
    trace: RunTrace | undefined;
    runId: string;
    workflow?: string | undefined;
    stopReason: string;
  }): void {
    const span = this.tracer.startSpan(
      'finish_run',
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [GEN_AI.conversationId]: run.runId,
          [HANDOFF.runId]: run.runId,
          [HANDOFF.stopReason]: run.stopReason,
          ...(run.workflow ? { [HANDOFF.workflow]: run.workflow } : {}),
        },
      },
      runContext(run.trace),
    );
    span.end();
    this.runsFinished.add(1, {
      [HANDOFF.stopReason]: run.stopReason,
      ...(run.workflow ? { [HANDOFF.workflow]: run.workflow } : {}),
    });
  }
}
