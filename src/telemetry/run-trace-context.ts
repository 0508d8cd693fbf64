/**
 * A run's trace as a W3C `traceparent` (what the orchestration input keeps) and back: the parent
 * context every activity of the run starts its spans in.
 */
import {
  ROOT_CONTEXT,
  TraceFlags,
  createTraceState,
  isSpanContextValid,
  trace,
  type Context,
  type SpanContext,
} from '@opentelemetry/api';
import type { RunTrace } from '../durable/wire/run-trace';

/** The `traceparent` of a span context, or undefined when it is not valid (telemetry off). */
export function runTraceOf(spanContext: SpanContext): RunTrace | undefined {
  if (!isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  const state = spanContext.traceState?.serialize();
  return {
    traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`,
    ...(state ? { tracestate: state } : {}),
  };
}

/** The span context a `traceparent` names (remote: it was made in another invocation). */
export function spanContextOf(runTrace: RunTrace): SpanContext | undefined {
  const [, traceId, spanId, flags] = runTrace.traceparent.split('-');
  const spanContext: SpanContext = {
    traceId: traceId!,
    spanId: spanId!,
    traceFlags: Number.parseInt(flags!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
    ...(runTrace.tracestate ? { traceState: createTraceState(runTrace.tracestate) } : {}),
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** The context whose parent is the run's root span; the empty context for a run without a trace. */
export function runContext(runTrace: RunTrace | undefined): Context {
  const spanContext = runTrace && spanContextOf(runTrace);
  return spanContext ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}
