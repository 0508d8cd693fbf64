/**
 * Starts this project's Functions app on the local host, against a scripted model server, for
 * integration, orchestrator and browser tests. Everything listens on free loopback ports and is
 * stopped by `stop()`.
 */
import path from 'node:path';
import type { Clock } from '../../devhost/contracts';
import { startHost, type EngineKind, type RunningHost } from '../../devhost/host';
import type { LogEntry } from '../../devhost/log';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing';
import type { ScriptedModelServerOptions } from '../../src/testing';

/** The project root (the library; `npm test` builds it into dist/). */
export const PROJECT_DIR = path.resolve(__dirname, '../..');

/** The sample app folder: its package.json `main` points at sample/dist/, which `npm test` builds. */
export const APP_DIR = path.join(PROJECT_DIR, 'sample');

/** The token secret every test host uses. */
export const TEST_TOKEN_SECRET = 'integration-test-token-secret-0123456789';

export interface AppHostOptions {
  /** The app folder (default: the sample, {@link APP_DIR}). */
  appDir?: string;
  /** The durable engine (default: the emulation). */
  engine?: EngineKind;
  /** `memory` (default) or `azurite`. */
  storage?: 'memory' | 'azurite';
  /** A data folder (Azurite state and host keys), for restarts on the same data. */
  dataDir?: string;
  /** The durable engine's clock (a `VirtualClock` for reply timeouts). */
  clock?: Clock;
  /** The scripted model: steps and/or a responder. */
  model?: ScriptedModelServerOptions;
  /** An already running model server to use instead of starting one. */
  modelServer?: ScriptedModelServer;
  /** Extra app settings (they win over the defaults below). */
  env?: Record<string, string>;
  /** Log lines at or above warning are kept in `logs`; set to receive every line. */
  log?: (entry: LogEntry) => void;
}

export interface AppHost {
  host: RunningHost;
  model: ScriptedModelServer;
  /** `http://localhost:<port>/api`. */
  api: string;
  /** Warnings and errors the host and the app logged. */
  logs: LogEntry[];
  stop(): Promise<void>;
}

/** The app settings of a test host pointed at `model`. */
export function appSettings(
  model: ScriptedModelServer,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    AZURE_FUNCTIONS_ENVIRONMENT: 'Development',
    DURABLE_HANDOFF_TASK_HUB: 'TestHub',
    DURABLE_HANDOFF_TOKEN_SECRET: TEST_TOKEN_SECRET,
    DURABLE_HANDOFF_SSE_POLL_MS: '100',
    // Tests start many runs from one address; the limits have tests of their own.
    DURABLE_HANDOFF_START_LIMIT_PER_CLIENT: '0',
    DURABLE_HANDOFF_START_LIMIT_PER_WORKFLOW: '0',
    OPENAI_BASE_URL: model.baseUrl,
    OPENAI_API_KEY: 'test-key-not-a-secret',
    OPENAI_MODEL: 'scripted-model',
    MODEL_TIMEOUT_MS: '10000',
    AZURE_OPENAI_ENDPOINT: '',
    AZURE_OPENAI_DEPLOYMENT: '',
    ...extra,
  };
}

/** Starts a scripted model server (unless given one) and the app on the local host. */
export async function startAppHost(options: AppHostOptions = {}): Promise<AppHost> {
  const model = options.modelServer ?? (await startScriptedModelServer(options.model ?? {}));
  const logs: LogEntry[] = [];
  let host: RunningHost;
  try {
    host = await startHost({
      appDir: options.appDir ?? APP_DIR,
      port: 0,
      ...(options.engine ? { engine: options.engine } : {}),
      storage: options.storage ?? 'memory',
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      env: appSettings(model, options.env),
      log: (entry) => {
        if (entry.level === 'warning' || entry.level === 'error' || entry.level === 'critical')
          logs.push(entry);
        options.log?.(entry);
      },
    });
  } catch (error) {
    if (!options.modelServer) await model.close();
    throw error;
  }
  return {
    host,
    model,
    api: `${host.baseUrl}/api`,
    logs,
    stop: async () => {
      await host.stop();
      if (!options.modelServer) await model.close();
    },
  };
}
