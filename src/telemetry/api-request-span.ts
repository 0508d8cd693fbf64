/**
 * The HTTP API's spans: each request on a run route (start, status, events, respond, terminate) is a
 * `SERVER` span, `<method> <route>`, with a link to the root span of the run it touches.
 *
 * Linked, not parented: a request already belongs to its caller's trace (the Functions host's
 * invocation, or a W3C `traceparent` header), and a span has one parent. A run's trace stays the
 * run's own, bounded by its work, however many times a page polls its status or follows its events
 * over the days it lives; from any request the link leads to the run, and the run's root links back
 * to the request that started it.
 */
import type { HttpHandler, HttpRequest, InvocationContext } from '@azure/functions';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import type { RunTrace } from '../durable/wire/run-trace';
import { HANDOFF } from './gen-ai-conventions';
import type { HandoffTelemetry } from './handoff-telemetry';
import { runContext, spanContextOf } from './run-trace-context';

/** The span of each request in flight, for the route's code to link to its run. */
const requestSpans = new WeakMap<HttpRequest, Span>();

/** A W3C `traceparent` of version 00, as `RunTraceSchema` requires it. */
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The caller's trace if it is one `RunTraceSchema` accepts, checked by hand: every request
 * asks, telemetry on or off, and the schema's parse cost more than the rest of the span's work (#16).
 */
function callerTrace(traceparent: string | undefined, tracestate: string | undefined): RunTrace | undefined {
  if (traceparent === undefined || !TRACEPARENT.test(traceparent)) return undefined;
  if (tracestate === undefined) return { traceparent };
  return tracestate.length <= 512 ? { traceparent, tracestate } : undefined;
}

/** The caller's context: the host's invocation trace, else a valid `traceparent` header, else none. */
function callerContext(request: HttpRequest, context: InvocationContext): Context {
  const fromHost = context.traceContext?.traceParent;
  const trace = fromHost
    ? callerTrace(fromHost, context.traceContext?.traceState || undefined)
    : callerTrace(
        request.headers.get('traceparent') ?? undefined,
        request.headers.get('tracestate') ?? undefined,
      );
  return trace ? runContext(trace) : ROOT_CONTEXT;
}

/**
 * Wraps a run route's handler in its request span. `route` is the route template under the app's
 * route prefix (`workflows/{name}/status/{runId}`). CORS preflights get no span. The span ends when
 * the handler answers (for the events stream: when the stream starts).
 */
export function withRequestSpan(
  telemetry: () => Promise<HandoffTelemetry>,
  routePrefix: () => string,
  route: string,
  handler: HttpHandler,
): HttpHandler {
  return async (request, context) => {
    if (request.method === 'OPTIONS') return handler(request, context);
    const template = `/${[routePrefix(), route].filter((part) => part !== '').join('/')}`;
    const span = (await telemetry()).tracer.startSpan(
      `${request.method} ${template}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': template },
      },
      callerContext(request, context),
    );
    if (!span.isRecording()) return handler(request, context);
    requestSpans.set(request, span);
    try {
      const response = await handler(request, context);
      const status = response.status ?? 200;
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) {
        span.setAttribute('error.type', String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return response;
    } catch (error) {
      span.setAttribute('error.type', error instanceof Error ? error.name : '_OTHER');
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
      requestSpans.delete(request);
    }
  };
}

/** The span context of `request`'s span, for the run it starts to link back to; none when not recorded. */
export function requestSpanContext(request: HttpRequest): SpanContext | undefined {
  return requestSpans.get(request)?.spanContext();
}

/** Names the run `request` touches on its span, and links the span to the run's root. */
export function linkRequestToRun(
  request: HttpRequest,
  run: { runId: string; workflow: string; trace: RunTrace | undefined },
): void {
  const span = requestSpans.get(request);
  if (!span) return;
  span.setAttributes({ [HANDOFF.runId]: run.runId, [HANDOFF.workflow]: run.workflow });
  const root = run.trace && spanContextOf(run.trace);
  if (root) span.addLink({ context: root, attributes: { [HANDOFF.linkedAs]: 'run' } });
}
