/**
 * Turns on export from the settings: OTLP/HTTP (protobuf or JSON) with the OpenTelemetry SDK, or
 * Application Insights with `@azure/monitor-opentelemetry`. The SDK packages are optional peer
 * dependencies, loaded here only when an endpoint is set, so an app that exports nothing loads and
 * pays for nothing but the API.
 *
 * The OTLP providers are durable-handoff's own, not registered globally: another host in the same
 * process (the local host restarting an app, tests) or the app's own SDK is left alone. An app that
 * wants one SDK for everything registers it itself and sets no `OTEL_EXPORTER_OTLP_*` endpoint:
 * durable-handoff then writes to the global providers.
 */
import type { TokenCredential } from '@azure/identity';
import { metrics, trace, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { OtlpTarget, TelemetrySettings } from './telemetry-settings';

/** The providers durable-handoff writes to, and how to flush and stop them. */
export interface TelemetryExport {
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  /** Sends what is buffered and stops (at app shutdown). */
  shutdown(): Promise<void>;
  /** Sends what is buffered. */
  flush(): Promise<void>;
}

const OTLP_PACKAGES =
  '@opentelemetry/sdk-trace @opentelemetry/sdk-metrics @opentelemetry/resources ' +
  '@opentelemetry/exporter-trace-otlp-proto @opentelemetry/exporter-trace-otlp-http ' +
  '@opentelemetry/exporter-metrics-otlp-proto @opentelemetry/exporter-metrics-otlp-http';

/** The global providers (the API's no-ops unless the app registered an SDK). */
function globalExport(): TelemetryExport {
  return {
    tracerProvider: trace.getTracerProvider(),
    meterProvider: metrics.getMeterProvider(),
    shutdown: () => Promise.resolve(),
    flush: () => Promise.resolve(),
  };
}

async function traceExporter(target: OtlpTarget) {
  return target.protocol === 'http/json'
    ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: target.url })
    : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter({ url: target.url });
}

async function metricExporter(target: OtlpTarget) {
  return target.protocol === 'http/json'
    ? new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter({ url: target.url })
    : new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter({
        url: target.url,
      });
}

async function otlpExport(settings: TelemetrySettings): Promise<TelemetryExport> {
  const [
    { TracerProvider, BatchSpanProcessor },
    { MeterProvider, PeriodicExportingMetricReader },
    resources,
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/resources'),
  ]);
  const resource = resources
    .resourceFromAttributes({ 'service.name': settings.serviceName })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: settings.traces
      ? [
          new BatchSpanProcessor({
            exporter: await traceExporter(settings.traces),
            scheduledDelayMillis: settings.spanDelayMs,
          }),
        ]
      : [],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: settings.metrics
      ? [
          new PeriodicExportingMetricReader({
            exporter: await metricExporter(settings.metrics),
            exportIntervalMillis: settings.metricIntervalMs,
            exportTimeoutMillis: Math.min(30_000, settings.metricIntervalMs),
          }),
        ]
      : [],
  });
  return {
    tracerProvider,
    meterProvider,
    flush: async () => {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    shutdown: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

/** The part of `@azure/monitor-opentelemetry` used here. */
interface AzureMonitorModule {
  useAzureMonitor(options: {
    azureMonitorExporterOptions: { connectionString: string; credential?: TokenCredential };
    samplingRatio?: number;
    tracesPerSecond?: number;
  }): void;
  shutdownAzureMonitor(): Promise<void>;
}

/**
 * The managed identity to send with, when `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` asks for
 * Entra ID (`Authorization=AAD;ClientId=...`, as the deploy template sets it: local authentication is off).
 */
async function entraCredential(authentication: string | undefined): Promise<TokenCredential | undefined> {
  if (!authentication || !/Authorization=AAD/i.test(authentication)) return undefined;
  const clientId = /ClientId=([^;]+)/i.exec(authentication)?.[1];
  const { ManagedIdentityCredential } = await import('@azure/identity');
  return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
}

async function azureMonitorExport(
  connectionString: string,
  authentication: string | undefined,
): Promise<TelemetryExport> {
  // Named through a variable: an optional peer dependency, not installed with the library.
  const name = '@azure/monitor-opentelemetry';
  const monitor = (await import(name)) as AzureMonitorModule;
  const credential = await entraCredential(authentication);
  monitor.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString, ...(credential ? { credential } : {}) },
    // Every trace, not the distro's default of at most 5 a second: its rate limiter starts from
    // nothing, so the first run after a cold start would have no trace, and a run's trace is only
    // useful whole. The app's own sampling settings (environment or JSON configuration) still win.
    samplingRatio: 1,
    tracesPerSecond: 0,
  });
  return { ...globalExport(), shutdown: () => monitor.shutdownAzureMonitor() };
}

/**
 * The providers for `settings`: OTLP/HTTP when an endpoint is set, Application Insights when only a
 * connection string is, the global ones otherwise. A package that is not installed is reported with
 * the command that installs it, and telemetry then goes to the global providers.
 */
export async function startTelemetryExport(
  settings: TelemetrySettings,
  logger: { info(message: string): void; warn(message: string): void },
): Promise<TelemetryExport> {
  for (const warning of settings.warnings) logger.warn(`telemetry: ${warning}`);
  if (settings.traces || settings.metrics) {
    if (settings.azureMonitorConnectionString) {
      logger.warn(
        'telemetry: both OTEL_EXPORTER_OTLP_*ENDPOINT and APPLICATIONINSIGHTS_CONNECTION_STRING are set; ' +
          'durable-handoff exports over OTLP only.',
      );
    }
    try {
      const exported = await otlpExport(settings);
      logger.info(
        `telemetry: ${[
          settings.traces && `traces to ${settings.traces.url} (${settings.traces.protocol})`,
          settings.metrics && `metrics to ${settings.metrics.url} (${settings.metrics.protocol})`,
        ]
          .filter(Boolean)
          .join(', ')}`,
      );
      return exported;
    } catch (error) {
      logger.warn(
        `telemetry: OTLP export is off, the OpenTelemetry SDK could not be loaded (${String(error)}). ` +
          `Install it with: npm install ${OTLP_PACKAGES}`,
      );
      return globalExport();
    }
  }
  if (settings.azureMonitorConnectionString) {
    try {
      const exported = await azureMonitorExport(
        settings.azureMonitorConnectionString,
        settings.azureMonitorAuthentication,
      );
      logger.info('telemetry: traces and metrics to Application Insights');
      return exported;
    } catch (error) {
      logger.warn(
        `telemetry: Application Insights export is off, @azure/monitor-opentelemetry could not be loaded ` +
          `(${String(error)}). Install it with: npm install @azure/monitor-opentelemetry`,
      );
    }
  }
  return globalExport();
}
