/**
 * durable-functions, loaded when it is first used instead of at start-up (#16, cold start).
 *
 * The package's entry loads its Durable client with it (axios, form-data, validator, lodash,
 * @opentelemetry/api): about 45 % of the CPU time of loading the whole app, which a worker spends
 * before it can serve anything, and which an instance that only runs agent turns never needs. So
 * the app registers its functions with the bindings durable-functions declares
 * (`functions/durable-bindings.ts`), and loads:
 * - the package's entry (the Durable client) when an HTTP or timer function first asks for a client;
 * - only the orchestration runtime at the first orchestrator episode: the module that
 *   durable-functions' own `app.orchestration` takes `createOrchestrator` from, and its
 *   `RetryOptions`. Those are paths inside the package, which is why package.json pins its exact
 *   version; tests/durable/durable-functions-sdk.test.ts checks they are the modules the entry uses.
 */
import type { FunctionHandler } from '@azure/functions';
import type * as DurableFunctions from 'durable-functions';

type DurableFunctionsModule = typeof DurableFunctions;

/** The module durable-functions' `app.orchestration` wraps an orchestrator with. */
export const ORCHESTRATION_RUNTIME_MODULE = 'durable-functions/lib/src/util/testingUtils';
/** The module durable-functions' entry exports `RetryOptions` from. */
export const RETRY_OPTIONS_MODULE = 'durable-functions/lib/src/RetryOptions';

interface OrchestrationRuntime {
  createOrchestrator(handler: DurableFunctions.OrchestrationHandler): FunctionHandler;
}

let entry: DurableFunctionsModule | undefined;
let retryOptions: DurableFunctionsModule['RetryOptions'] | undefined;

/** durable-functions' public entry, loaded at the first call (its Durable client comes with it). */
export function durableFunctions(): DurableFunctionsModule {
  // A synchronous require, so the call sites stay as they were (getClient is synchronous).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  entry ??= require('durable-functions') as DurableFunctionsModule;
  return entry;
}

/**
 * The handler durable-functions' `app.orchestration` would register for `orchestrator`, built
 * without loading the package's client.
 */
export function createOrchestrator(orchestrator: DurableFunctions.OrchestrationHandler): FunctionHandler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = require(ORCHESTRATION_RUNTIME_MODULE) as OrchestrationRuntime;
  return runtime.createOrchestrator(orchestrator);
}

/** durable-functions' `RetryOptions` (the class its retrying calls check for), without its client. */
export function durableRetryOptions(
  firstRetryIntervalInMilliseconds: number,
  maxNumberOfAttempts: number,
): DurableFunctions.RetryOptions {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  retryOptions ??= (require(RETRY_OPTIONS_MODULE) as Pick<DurableFunctionsModule, 'RetryOptions'>)
    .RetryOptions;
  return new retryOptions(firstRetryIntervalInMilliseconds, maxNumberOfAttempts);
}
