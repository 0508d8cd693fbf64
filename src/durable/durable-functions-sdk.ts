/**
 * durable-functions, loaded when it is first used instead of at start-up (#16, cold start).
 *
 * The package's entry loads its Durable client with it (axios, form-data, validator, lodash,
 * @opentelemetry/api): about 45 % of the CPU time of loading the whole app, which a worker spends
 * before it can serve anything, and which an instance that only runs agent turns never needs. So
 * the app registers its functions with the bindings durable-functions declares
 * (`functions/durable-bindings.ts`), and loads:
 * - the package's entry (the Durable client) when an HTTP or timer function first asks for a client
 *   (the HTTP API's start, status read and raise event need none where the binding names the
 *   extension's `rpcBaseUrl`: see `management-rpc-client.ts`);
 * - only the orchestration runtime at the first orchestrator episode: the module that
 *   durable-functions' own `app.orchestration` takes `createOrchestrator` from, and its
 *   `RetryOptions`. Those are paths inside the package, which is why package.json pins its exact
 *   version; tests/durable/durable-functions-sdk.test.ts checks they are the modules the entry uses.
 */
import { Agent } from 'node:http';
import type { FunctionHandler, InvocationContext } from '@azure/functions';
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

/** The part of durable-functions' `DurableClient` (3.x) that sends its requests: an axios instance. */
interface AxiosBackedClient {
  axiosInstance?: { defaults?: { maxRedirects?: number; proxy?: false; httpAgent?: unknown } };
}

/** The keep-alive delay axios sets on every request's socket (`setKeepAlive(true, 60 s)`). */
const AXIOS_KEEP_ALIVE_MS = 60_000;

/**
 * The connections of the shared clients: kept alive as Node's global agent keeps them (its options,
 * idle sockets closed after 5 s), but with axios's own keep-alive delay. With the global agent's 1 s,
 * the agent set 1 s on a socket it took back and axios 60 s on the next request: four `setsockopt`
 * calls each way, per request (#16).
 */
let clientAgent: Agent | undefined;

/** The variables axios reads a proxy from (`proxy-from-env`: `<protocol>_proxy`, `all_proxy`, either case). */
const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy'];

/** True when the environment names a proxy, which axios must then keep looking up per request. */
function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(env[name] || env[name.toUpperCase()]));
}

/**
 * Tunes `client`'s axios instance for the extension's endpoints, which it calls on every start and
 * status read (#16, the HTTP functions):
 * - `maxRedirects: 0`: Node's own `http` rather than follow-redirects, which axios puts in front of
 *   every request otherwise and which cost about twice the CPU of the request itself. The endpoints
 *   answer with a status, never a redirect (a 3xx would be the client's "unexpected status code"
 *   error, as any status it does not expect).
 * - `proxy: false` when no proxy variable is set (checked when the client is made): axios otherwise
 *   parses the URL and reads the environment on every request to find none. With `HTTP_PROXY` and
 *   the like set, axios keeps deciding per request, `NO_PROXY` included.
 * - a keep-alive agent with axios's keep-alive delay (see {@link clientAgent}).
 * A client without the instance (another version) is left as it is.
 */
function tuned(client: DurableFunctions.DurableClient): DurableFunctions.DurableClient {
  const defaults = (client as unknown as AxiosBackedClient).axiosInstance?.defaults;
  if (defaults === undefined) return client;
  defaults.maxRedirects = 0;
  if (!proxyConfigured(process.env)) defaults.proxy = false;
  clientAgent ??= new Agent({
    keepAlive: true,
    keepAliveMsecs: AXIOS_KEEP_ALIVE_MS,
    scheduling: 'lifo',
    timeout: 5000,
  });
  defaults.httpAgent = clientAgent;
  return client;
}

/** The Durable clients handed out, with the client data each was built from (see {@link durableClient}). */
const clients: { data: unknown; client: DurableFunctions.DurableClient }[] = [];
/** Client data differ only when the host's keys or endpoints change; a few are kept. */
const MAX_CLIENTS = 8;

/**
 * Whether two binding values are the same JSON: the client data arrive parsed, a fresh object per
 * invocation, so equal data are equal field by field, never the same object.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key)) return false;
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * durable-functions' `getClient(context)`, shared by the invocations whose durableClient input
 * carries the same data (the extension's endpoints, task hub and key: the same for every
 * invocation of a host). `getClient` builds a new client, with its own axios instance, each time:
 * 18 MB of the 650 MB a batch of 200 concurrent runs allocated (#16). The client keeps no state
 * of an invocation.
 *
 * The host sends the data as a JSON string, but `@azure/functions` hands the handler the parsed
 * object (`fromRpcTypedData` parses every string binding value that is JSON), so the string is gone:
 * the data are compared field by field with those of the clients kept (about 0.5 µs here, where
 * stringifying them again for a map key took 4 µs).
 */
export function durableClient(context: InvocationContext): DurableFunctions.DurableClient {
  const sdk = durableFunctions();
  const input = context.options.extraInputs.find((candidate) => candidate.type === 'durableClient');
  const data: unknown = input === undefined ? undefined : context.extraInputs.get(input);
  // Without data, getClient says what is missing.
  if (data === undefined || data === null) return sdk.getClient(context);
  const kept = clients.find((entry) => sameJson(entry.data, data));
  if (kept !== undefined) return kept.client;
  const client = tuned(sdk.getClient(context));
  if (clients.length >= MAX_CLIENTS) clients.length = 0;
  clients.push({ data, client });
  return client;
}
