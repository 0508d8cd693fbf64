/**
 * Where telemetry goes, from the standard `OTEL_*` variables and `APPLICATIONINSIGHTS_CONNECTION_STRING`.
 * Read once, when the app first needs its telemetry; nothing is loaded when it goes nowhere.
 */

/** The OTLP/HTTP encodings durable-handoff exports with. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** Where one signal (traces or metrics) is sent over OTLP/HTTP. */
export interface OtlpTarget {
  url: string;
  protocol: OtlpProtocol;
}

/** What {@link loadTelemetrySettings} reads. */
export interface TelemetrySettings {
  /** OTLP/HTTP targets, when an endpoint is set (and the signal's exporter is not `none`). */
  traces?: OtlpTarget;
  metrics?: OtlpTarget;
  /** Export to Application Insights through `@azure/monitor-opentelemetry` (when no OTLP endpoint is set). */
  azureMonitorConnectionString?: string;
  /** `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`: `Authorization=AAD;ClientId=...` for Entra ID. */
  azureMonitorAuthentication?: string;
  /** Record message content in spans (off unless `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`). */
  captureContent: boolean;
  serviceName: string;
  /** How often metrics are exported (`OTEL_METRIC_EXPORT_INTERVAL`, default 60 s). */
  metricIntervalMs: number;
  /** How long finished spans may wait in the batch before they are sent (`OTEL_BSP_SCHEDULE_DELAY`, default 5 s). */
  spanDelayMs: number;
  /** Problems with the settings, for the start-up log. */
  warnings: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

function setting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function positiveInteger(env: Env, name: string, fallback: number, warnings: string[]): number {
  const raw = setting(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  warnings.push(`${name}='${raw}' is not a positive integer; using ${fallback}.`);
  return fallback;
}

function protocolOf(env: Env, signal: 'TRACES' | 'METRICS', warnings: string[]): OtlpProtocol {
  const name = setting(env, `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`)
    ? `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const value = setting(env, name) ?? 'http/protobuf';
  if (value === 'http/protobuf' || value === 'http/json') return value;
  warnings.push(`${name}='${value}' is not supported (http/protobuf or http/json); using http/protobuf.`);
  return 'http/protobuf';
}

/** The OTLP target of a signal: its own endpoint as given, or the base endpoint with the signal's path. */
function targetOf(
  env: Env,
  signal: 'TRACES' | 'METRICS',
  path: string,
  warnings: string[],
): OtlpTarget | undefined {
  if (setting(env, `OTEL_${signal}_EXPORTER`) === 'none') return undefined;
  const own = setting(env, `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`);
  const base = setting(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const url = own ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/${path}`);
  return url === undefined ? undefined : { url, protocol: protocolOf(env, signal, warnings) };
}

/** Reads the telemetry settings from `env`. */
export function loadTelemetrySettings(env: Env): TelemetrySettings {
  const warnings: string[] = [];
  const disabled = setting(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
  const traces = disabled ? undefined : targetOf(env, 'TRACES', 'v1/traces', warnings);
  const metrics = disabled ? undefined : targetOf(env, 'METRICS', 'v1/metrics', warnings);
  const connectionString = disabled ? undefined : setting(env, 'APPLICATIONINSIGHTS_CONNECTION_STRING');
  return {
    ...(traces ? { traces } : {}),
    ...(metrics ? { metrics } : {}),
    ...(connectionString ? { azureMonitorConnectionString: connectionString } : {}),
    ...(connectionString && setting(env, 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING')
      ? { azureMonitorAuthentication: setting(env, 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING')! }
      : {}),
    captureContent:
      setting(env, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT')?.toLowerCase() === 'true',
    serviceName: setting(env, 'OTEL_SERVICE_NAME') ?? setting(env, 'WEBSITE_SITE_NAME') ?? 'durable-handoff',
    metricIntervalMs: positiveInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, warnings),
    spanDelayMs: positiveInteger(env, 'OTEL_BSP_SCHEDULE_DELAY', 5_000, warnings),
    warnings,
  };
}
