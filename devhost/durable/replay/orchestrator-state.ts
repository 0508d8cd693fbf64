/**
 * The `OrchestratorState` durable-functions returns from an orchestrator invocation, and the
 * actions inside it (`actions/ActionType.js`, the extension's `AsyncActionType`).
 */
import { z } from 'zod';

/** Action type numbers. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  ScheduledSignalEntity: 10,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

/** Retry options as the JS `RetryOptions` serializes them (optional keys only when set). */
export const RetryOptionsJsonSchema = z.object({
  firstRetryIntervalInMilliseconds: z.number(),
  maxNumberOfAttempts: z.number().int(),
  backoffCoefficient: z.number().optional(),
  maxRetryIntervalInMilliseconds: z.number().optional(),
  retryTimeoutInMilliseconds: z.number().optional(),
});
/** Retry options of a CallActivityWithRetry action. */
export type RetryOptionsJson = z.infer<typeof RetryOptionsJsonSchema>;

/** One action of the state; compound actions nest. Fields the emulator does not read stay untyped. */
export type OrchestratorAction =
  | { actionType: typeof ActionType.CallActivity; functionName: string; input?: unknown }
  | {
      actionType: typeof ActionType.CallActivityWithRetry;
      functionName: string;
      retryOptions: RetryOptionsJson;
      input?: unknown;
    }
  | { actionType: typeof ActionType.ContinueAsNew; input?: unknown }
  | { actionType: typeof ActionType.CreateTimer; fireAt: string; isCanceled: boolean }
  | { actionType: typeof ActionType.WaitForExternalEvent; externalEventName: string }
  | {
      actionType: typeof ActionType.WhenAny | typeof ActionType.WhenAll;
      compoundActions: OrchestratorAction[];
    }
  | { actionType: UnsupportedActionType; [key: string]: unknown };

/** Action types the local host does not emulate (sub-orchestrations, entities, durable HTTP). */
export type UnsupportedActionType =
  | typeof ActionType.CallSubOrchestrator
  | typeof ActionType.CallSubOrchestratorWithRetry
  | typeof ActionType.CallEntity
  | typeof ActionType.CallHttp
  | typeof ActionType.SignalEntity
  | typeof ActionType.ScheduledSignalEntity
  | typeof ActionType.LockEntities
  | typeof ActionType.ReleaseEntities;

const unsupported = [2, 3, 7, 8, 9, 10, 13, 14] as const;

/** Schema of one action (recursive through compound actions). */
export const OrchestratorActionSchema: z.ZodType<OrchestratorAction> = z.lazy(() =>
  z.union([
    z.object({ actionType: z.literal(0), functionName: z.string(), input: z.unknown().optional() }),
    z.object({
      actionType: z.literal(1),
      functionName: z.string(),
      retryOptions: RetryOptionsJsonSchema,
      input: z.unknown().optional(),
    }),
    z.object({ actionType: z.literal(4), input: z.unknown().optional() }),
    z.object({ actionType: z.literal(5), fireAt: z.string(), isCanceled: z.boolean() }),
    z.object({ actionType: z.literal(6), externalEventName: z.string() }),
    z.object({
      actionType: z.union([z.literal(11), z.literal(12)]),
      compoundActions: z.array(OrchestratorActionSchema),
    }),
    z.object({ actionType: z.union(unsupported.map((n) => z.literal(n))) }).loose(),
  ]),
);

/** Schema of the whole state. */
export const OrchestratorStateSchema = z.object({
  isDone: z.boolean(),
  actions: z.array(z.array(OrchestratorActionSchema)),
  output: z.unknown().optional(),
  error: z.string().optional(),
  customStatus: z.unknown().optional(),
  schemaVersion: z.number().int(),
  failureDetails: z.unknown().optional(),
});

/** What an orchestrator invocation returned. */
export type OrchestratorState = z.infer<typeof OrchestratorStateSchema>;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` has no keys but `keys` (the schema would drop others, so they go to it). */
function hasOnly(value: Json, keys: readonly string[]): boolean {
  for (const key in value) if (!keys.includes(key)) return false;
  return true;
}

const ACTIVITY_KEYS = ['actionType', 'functionName', 'input'];
const RETRY_KEYS = ['actionType', 'functionName', 'retryOptions', 'input'];
const RETRY_OPTION_KEYS = [
  'firstRetryIntervalInMilliseconds',
  'maxNumberOfAttempts',
  'backoffCoefficient',
  'maxRetryIntervalInMilliseconds',
  'retryTimeoutInMilliseconds',
];
const STATE_KEYS = [
  'isDone',
  'actions',
  'output',
  'error',
  'customStatus',
  'schemaVersion',
  'failureDetails',
];

function isOptionalNumber(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value));
}

function isPlainRetryOptions(value: unknown): boolean {
  return (
    isObject(value) &&
    hasOnly(value, RETRY_OPTION_KEYS) &&
    typeof value.firstRetryIntervalInMilliseconds === 'number' &&
    Number.isFinite(value.firstRetryIntervalInMilliseconds) &&
    Number.isSafeInteger(value.maxNumberOfAttempts) &&
    isOptionalNumber(value.backoffCoefficient) &&
    isOptionalNumber(value.maxRetryIntervalInMilliseconds) &&
    isOptionalNumber(value.retryTimeoutInMilliseconds)
  );
}

/** True for an action of the emulated kinds with only its schema's fields, each valid. */
function isPlainAction(value: unknown): boolean {
  if (!isObject(value)) return false;
  switch (value.actionType) {
    case ActionType.CallActivity:
      return hasOnly(value, ACTIVITY_KEYS) && typeof value.functionName === 'string';
    case ActionType.CallActivityWithRetry:
      return (
        hasOnly(value, RETRY_KEYS) &&
        typeof value.functionName === 'string' &&
        isPlainRetryOptions(value.retryOptions)
      );
    case ActionType.ContinueAsNew:
      return hasOnly(value, ['actionType', 'input']);
    case ActionType.CreateTimer:
      return (
        hasOnly(value, ['actionType', 'fireAt', 'isCanceled']) &&
        typeof value.fireAt === 'string' &&
        typeof value.isCanceled === 'boolean'
      );
    case ActionType.WaitForExternalEvent:
      return (
        hasOnly(value, ['actionType', 'externalEventName']) && typeof value.externalEventName === 'string'
      );
    case ActionType.WhenAny:
    case ActionType.WhenAll:
      return (
        hasOnly(value, ['actionType', 'compoundActions']) &&
        Array.isArray(value.compoundActions) &&
        value.compoundActions.every(isPlainAction)
      );
    default:
      return false;
  }
}

/**
 * `value` as an {@link OrchestratorState}, or the schema's issues. A state is checked on every
 * episode, so the usual shape (the schema's fields only, actions of the emulated kinds) is checked
 * by hand and returned as is, which is what the schema would return; anything else goes to the
 * schema, which decides.
 */
export function parseOrchestratorState(value: unknown): ReturnType<typeof OrchestratorStateSchema.safeParse> {
  if (
    isObject(value) &&
    hasOnly(value, STATE_KEYS) &&
    typeof value.isDone === 'boolean' &&
    Number.isSafeInteger(value.schemaVersion) &&
    (value.error === undefined || typeof value.error === 'string') &&
    Array.isArray(value.actions) &&
    value.actions.every((step) => Array.isArray(step) && step.every(isPlainAction))
  ) {
    return { success: true, data: value as OrchestratorState };
  }
  return OrchestratorStateSchema.safeParse(value);
}
