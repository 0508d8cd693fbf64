import { loadTelemetrySettings } from '../../src/telemetry/telemetry-settings';
import { runContext, runTraceOf, spanContextOf } from '../../src/telemetry/run-trace-context';
import { trace } from '@opentelemetry/api';

describe('telemetry settings', () => {
  it('sends nothing anywhere when no endpoint or connection string is set', () => {
    const settings = loadTelemetrySettings({});
    expect(settings.traces).toBeUndefined();
    expect(settings.metrics).toBeUndefined();
    expect(settings.azureMonitorConnectionString).toBeUndefined();
    expect(settings.captureContent).toBe(false);
  });

  it('appends the signal paths to the base endpoint, and lets a signal endpoint and protocol win', () => {
    const settings = loadTelemetrySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:9000/ingest',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
    });
    expect(settings.traces).toEqual({ url: 'http://collector:4318/v1/traces', protocol: 'http/json' });
    expect(settings.metrics).toEqual({ url: 'http://metrics:9000/ingest', protocol: 'http/protobuf' });
  });

  it('falls back to http/protobuf with a warning for grpc, and turns signals off with none or OTEL_SDK_DISABLED', () => {
    const grpc = loadTelemetrySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_METRICS_EXPORTER: 'none',
    });
    expect(grpc.traces?.protocol).toBe('http/protobuf');
    expect(grpc.metrics).toBeUndefined();
    expect(grpc.warnings.join(' ')).toContain("OTEL_EXPORTER_OTLP_PROTOCOL='grpc' is not supported");
    const disabled = loadTelemetrySettings({
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x',
    });
    expect([disabled.traces, disabled.metrics, disabled.azureMonitorConnectionString]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('records message content only when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT is true', () => {
    expect(
      loadTelemetrySettings({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }).captureContent,
    ).toBe(true);
    expect(
      loadTelemetrySettings({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: '1' }).captureContent,
    ).toBe(false);
  });
});

describe("a run's trace context", () => {
  it('goes through the traceparent the orchestration input keeps and back, as a remote parent', () => {
    const kept = runTraceOf({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    });
    expect(kept).toEqual({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(spanContextOf(kept!)).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    expect(trace.getSpanContext(runContext(kept))?.spanId).toBe('b7ad6b7169203331');
  });

  it('is not kept when the span context is invalid (telemetry off), and a run without one has no parent', () => {
    expect(runTraceOf({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 })).toBeUndefined();
    expect(trace.getSpanContext(runContext(undefined))).toBeUndefined();
  });
});
