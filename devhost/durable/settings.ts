/**
 * Durable settings from host.json `extensions.durableTask`.
 */
import { z } from 'zod';
import { DevhostError } from '../errors';

/** The settings the engine honours. */
export interface DurableSettings {
  /** Task hub name (default `TestHubName`, the extension's default outside Azure). */
  hubName: string;
  /** How many activity functions run at once (host default 10). */
  maxConcurrentActivityFunctions: number;
  /** How many orchestrator episodes run at once (host default 10). */
  maxConcurrentOrchestratorFunctions: number;
  /** Messages one episode consumes at most (Azure Storage `controlQueueBatchSize`, default 32). */
  controlQueueBatchSize: number;
  /** Orchestration actions allowed per execution (`maxOrchestrationActions`, default 100 000). */
  maxOrchestrationActions: number;
  /** `defaultVersion`: the version of an instance started without one. */
  defaultVersion?: string;
}

/** Defaults of a local host. */
export const DEFAULT_DURABLE_SETTINGS: DurableSettings = {
  hubName: 'TestHubName',
  maxConcurrentActivityFunctions: 10,
  maxConcurrentOrchestratorFunctions: 10,
  controlQueueBatchSize: 32,
  maxOrchestrationActions: 100_000,
};

const positiveInt = z.number().int().positive();

const DurableTaskSchema = z
  .object({
    hubName: z.string().optional(),
    maxConcurrentActivityFunctions: positiveInt.optional(),
    maxConcurrentOrchestratorFunctions: positiveInt.optional(),
    maxOrchestrationActions: positiveInt.optional(),
    defaultVersion: z.string().optional(),
    storageProvider: z
      .object({ controlQueueBatchSize: positiveInt.max(32).optional() })
      .loose()
      .optional(),
  })
  .loose();

const HostJsonSchema = z
  .object({ extensions: z.object({ durableTask: DurableTaskSchema.optional() }).loose().optional() })
  .loose();

// The extension's rule for task hub names (they become table and queue names).
const HubNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/);

function resolveAppSetting(value: string, appSettings: Record<string, string | undefined>): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const resolved = appSettings[name];
    if (resolved === undefined || resolved === '') {
      throw new DevhostError(
        'invalid_option',
        `host.json extensions.durableTask.hubName refers to %${name}%, which is not set. ` +
          `Set ${name} in local.settings.json "Values" or in the environment.`,
      );
    }
    return resolved;
  });
}

/**
 * Reads the durable settings of a host.json object. `%NAME%` references resolve against
 * `appSettings` (default `process.env`), as the Functions host resolves app settings.
 *
 * @example
 * const settings = parseDurableSettings(JSON.parse(fs.readFileSync('host.json', 'utf8')));
 */
export function parseDurableSettings(
  hostJson: unknown,
  appSettings: Record<string, string | undefined> = process.env,
): DurableSettings {
  const parsed = HostJsonSchema.safeParse(hostJson ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DevhostError(
      'invalid_option',
      `host.json extensions.durableTask is invalid at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'unknown issue'}. ` +
        'maxConcurrentActivityFunctions, maxConcurrentOrchestratorFunctions and maxOrchestrationActions must be positive integers.',
    );
  }
  const durable = parsed.data.extensions?.durableTask ?? {};
  const hubName =
    durable.hubName === undefined
      ? DEFAULT_DURABLE_SETTINGS.hubName
      : resolveAppSetting(durable.hubName, appSettings);
  if (!HubNameSchema.safeParse(hubName).success) {
    throw new DevhostError(
      'invalid_option',
      `Task hub name "${hubName}" is invalid: use 3 to 45 letters and digits, starting with a letter.`,
    );
  }
  return {
    hubName,
    maxConcurrentActivityFunctions:
      durable.maxConcurrentActivityFunctions ?? DEFAULT_DURABLE_SETTINGS.maxConcurrentActivityFunctions,
    maxConcurrentOrchestratorFunctions:
      durable.maxConcurrentOrchestratorFunctions ??
      DEFAULT_DURABLE_SETTINGS.maxConcurrentOrchestratorFunctions,
    controlQueueBatchSize:
      durable.storageProvider?.controlQueueBatchSize ?? DEFAULT_DURABLE_SETTINGS.controlQueueBatchSize,
    maxOrchestrationActions:
      durable.maxOrchestrationActions ?? DEFAULT_DURABLE_SETTINGS.maxOrchestrationActions,
    ...(durable.defaultVersion ? { defaultVersion: durable.defaultVersion } : {}),
  };
}
