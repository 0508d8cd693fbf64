import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { AgentDefinition } from '../core/agent';
import type { ChatModel } from '../core/model';
import type { FunctionTool } from '../core/tool';
import { LivePreviewChannel } from '../durable/preview/live-preview-channel';
import { TableRunClaims, type RunClaims } from '../durable/store/run-claims';
import type { RunStore } from '../durable/store/run-store';
import { loadStorageSettings } from '../durable/store/storage-settings';
import { TableRunStore } from '../durable/store/table-run-store';
import type { WorkflowSource } from '../durable/workflow-source';
import { ChatPageFiles, CHAT_PAGE_DIR } from '../http/chat-page-files';
import { eventStreamSettings, type EventStreamSettings } from '../http/event-stream-settings';
import { FunctionKeyValidator, hostBaseUrl } from '../http/key-check';
import { CorsPolicy } from '../http/cors-policy';
import { publicOrigin } from '../http/public-origin';
import { loadTokenSecret, previousTokenSecrets, RunTokens } from '../http/run-token';
import { StartLimiter } from '../http/start-limiter';
import { loadAccessSettings, type AccessSettings } from './access-settings';
import { modelStartupMessage } from '../model/describe-model';
import { loadModelConfig, type ModelConfig } from '../model/model-config';
import { normalizeRoutePrefix, routePrefixFromHostJson } from './route-prefix';
import { HandoffTelemetry } from '../telemetry/handoff-telemetry';
import { startTelemetryExport, type TelemetryExport } from '../telemetry/telemetry-export';
import { loadTelemetrySettings } from '../telemetry/telemetry-settings';

/** Where durable-handoff's own log lines go (start-up announcements, configuration warnings). */
export interface HandoffLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a library user may hand the composition root; everything else comes from app settings. */
export interface HandoffServiceOptions {
  workflows: WorkflowSource;
  model?: ChatModel | (() => ChatModel | Promise<ChatModel>) | undefined;
  store?: RunStore | (() => RunStore) | undefined;
  tokenSecret?: string | undefined;
  routePrefix?: string | undefined;
  logger?: HandoffLogger | undefined;
  telemetry?: HandoffTelemetryOptions | undefined;
}

/**
 * Where durable-handoff's spans and metrics go, when the app hands over its own OpenTelemetry
 * providers (an SDK it set up, an in-memory exporter in tests). Without them they go where the
 * `OTEL_*` settings say (see README, Telemetry).
 */
export interface HandoffTelemetryOptions {
  tracerProvider?: TracerProvider | undefined;
  meterProvider?: MeterProvider | undefined;
  /** Record message content; default: `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`. */
  captureContent?: boolean | undefined;
}

/**
 * The services of one durable-handoff app, built once each, on first use: app settings are read
 * then, never at import time, and the heavy SDKs (openai, @azure/identity, @azure/data-tables) load
 * with the first agent turn or store call, not at start-up. Every function of the app gets what it
 * needs from here.
 */
export interface HandoffServices {
  readonly workflows: WorkflowSource;
  readonly logger: HandoffLogger;
  /** The HTTP route prefix (`api` by default; `''` for none). */
  readonly routePrefix: () => string;
  /** The run store (Table storage on `AzureWebJobsStorage`, unless the app gave its own). */
  readonly store: () => RunStore;
  /** The claims of chosen run ids (Table storage on `AzureWebJobsStorage`, beside the run store's tables). */
  readonly claims: () => RunClaims;
  /** The chat model (from the model settings, unless the app gave its own). */
  readonly model: () => Promise<ChatModel>;
  /**
   * An agent's tools for a turn: its own, and those its MCP servers list (the MCP client loads with
   * the first agent that has servers), with warnings for servers that could not list theirs.
   */
  readonly agentTools: (
    agent: AgentDefinition,
  ) => Promise<{ tools: readonly FunctionTool[]; warnings: readonly { code: string; message: string }[] }>;
  /**
   * Issues and verifies run tokens. `invocation` (an `InvocationContext`) receives the one-time
   * warning about a development secret when the app gave no logger.
   */
  readonly tokens: (invocation?: Pick<HandoffLogger, 'warn'>) => RunTokens;
  /** Validates function keys presented to run-scoped routes. */
  readonly keys: () => FunctionKeyValidator;
  /** Token lifetimes, retention, start limits, message size, CORS origins (app settings). */
  readonly access: () => AccessSettings;
  /** The origin of the links the API hands out (`''`: relative links). */
  readonly publicOrigin: () => string;
  /** Limits on anonymous run starts (this instance's memory). */
  readonly startLimiter: () => StartLimiter;
  /** The API's CORS policy. */
  readonly cors: () => CorsPolicy;
  /** How event streams poll and how long they stay open. */
  readonly eventStream: () => EventStreamSettings;
  /**
   * The answer previews of agent turns running in this process, for the event streams it serves
   * (streams served elsewhere read the run store's copy).
   */
  readonly previews: () => LivePreviewChannel;
  /**
   * Whether a turn's first attempt, when this instance knows it is the first, stores its input with
   * its commit (one storage request per turn) instead of before the model call. On unless
   * `DURABLE_HANDOFF_EXPERIMENTAL_TURN_INPUT_WITH_COMMIT=false`: in a scaled-out app an attempt whose
   * turn's earlier attempt ran on another instance may ask the model again for an answer that
   * attempt recorded (see ARCHITECTURE.md "The run store").
   */
  readonly turnInputWithCommit: () => boolean;
  /** The built chat page. */
  readonly chatPage: () => ChatPageFiles;
  /** Checks the model settings and logs which model the app uses: call it at start-up. */
  readonly announceModel: () => void;
  /**
   * The app's spans and metrics (see `src/telemetry/`): built on first use from the options or the
   * `OTEL_*` settings; the API's no-ops when telemetry goes nowhere.
   */
  readonly telemetry: () => Promise<HandoffTelemetry>;
  /** Sends buffered telemetry and stops its exporters (app shutdown); nothing when none was started. */
  readonly shutdownTelemetry: () => Promise<void>;
}

/** `make()` on the first call, the same value after it; a failure is not kept, so the next call tries again. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** {@link once} for a promise: a rejection is not kept either. */
function onceAsync<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

const consoleLogger: HandoffLogger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/** Builds the services of an app; `env` is read lazily, service by service. */
export function createHandoffServices(
  options: HandoffServiceOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): HandoffServices {
  const logger = options.logger ?? consoleLogger;
  const routePrefix = once(() =>
    options.routePrefix === undefined
      ? routePrefixFromHostJson(env)
      : normalizeRoutePrefix(options.routePrefix),
  );
  const modelConfig = once((): ModelConfig => loadModelConfig(env));
  const given = options.model;
  const model = onceAsync(async (): Promise<ChatModel> => {
    if (given === undefined) {
      // The client and the `openai` package load on the first agent turn, not at start-up.
      const { createChatModel } = await import('../model/create-chat-model');
      return createChatModel(modelConfig());
    }
    return typeof given === 'function' ? given() : given;
  });
  const givenStore = options.store;
  const store = once((): RunStore => {
    if (givenStore !== undefined) return typeof givenStore === 'function' ? givenStore() : givenStore;
    return new TableRunStore(loadStorageSettings(env));
  });
  const claims = once((): RunClaims => new TableRunClaims(loadStorageSettings(env)));
  const access = once(() => loadAccessSettings(env));
  const origin = once(() => publicOrigin(env));
  let tokensMade: RunTokens | undefined;
  const makeTokens = (invocation: Pick<HandoffLogger, 'warn'> | undefined): RunTokens => {
    const lifetimes = { ttlMs: access().tokenTtlMs, afterEndMs: access().tokenAfterEndMs };
    if (options.tokenSecret !== undefined) {
      return new RunTokens(options.tokenSecret, previousTokenSecrets(env), lifetimes);
    }
    const { secret, previous, source, file } = loadTokenSecret(env);
    if (source === 'development-file') {
      (options.logger ?? invocation ?? logger).warn(
        `DURABLE_HANDOFF_TOKEN_SECRET is not set: run tokens use a random development secret kept in ${file} ` +
          '(generated once for this app folder; keep it private). ' +
          'Set DURABLE_HANDOFF_TOKEN_SECRET before deploying: it is required in Azure.',
      );
    }
    return new RunTokens(secret, previous, lifetimes);
  };
  const keys = once(
    () => new FunctionKeyValidator({ baseUrl: () => hostBaseUrl(env), routePrefix: routePrefix() }),
  );
  const mcpTools = onceAsync(async () => new (await import('../mcp/mcp-tool-source')).McpToolSource());
  let exported: Promise<TelemetryExport> | undefined;
  const telemetry = onceAsync(async (): Promise<HandoffTelemetry> => {
    const settings = loadTelemetrySettings(env);
    const given = options.telemetry;
    const providers =
      given?.tracerProvider && given.meterProvider
        ? { tracerProvider: given.tracerProvider, meterProvider: given.meterProvider }
        : await (exported = startTelemetryExport(settings, logger));
    return new HandoffTelemetry({
      tracerProvider: given?.tracerProvider ?? providers.tracerProvider,
      meterProvider: given?.meterProvider ?? providers.meterProvider,
      captureContent: given?.captureContent ?? settings.captureContent,
    });
  });
  return {
    workflows: options.workflows,
    logger,
    routePrefix,
    store,
    claims,
    model,
    agentTools: async (agent) =>
      agent.mcp.length === 0 ? { tools: agent.tools, warnings: [] } : (await mcpTools()).toolsFor(agent),
    tokens: (invocation) => (tokensMade ??= makeTokens(invocation)),
    keys,
    access,
    publicOrigin: origin,
    startLimiter: once(
      () =>
        new StartLimiter({
          perClient: access().startsPerClientPerMinute,
          perWorkflow: access().startsPerWorkflowPerMinute,
        }),
    ),
    cors: once(() => new CorsPolicy(access().corsOrigins, origin())),
    eventStream: once(() => eventStreamSettings(env)),
    previews: once(() => new LivePreviewChannel()),
    turnInputWithCommit: once(() => env.DURABLE_HANDOFF_EXPERIMENTAL_TURN_INPUT_WITH_COMMIT !== 'false'),
    chatPage: once(() => new ChatPageFiles(CHAT_PAGE_DIR)),
    announceModel: () => {
      if (given === undefined) logger.info(modelStartupMessage(modelConfig()));
      else if (typeof given !== 'function') logger.info(`model: ${given.description} (provided by the app)`);
      else logger.info('model: provided by the app');
    },
    telemetry,
    shutdownTelemetry: async () => {
      await (await exported)?.shutdown();
    },
  };
}
