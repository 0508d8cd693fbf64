/**
 * Contracts between the parts of the local host.
 *
 * The host has three parts, each in its own folder:
 * - `worker/`: plays the Node language worker. Provides `@azure/functions-core`, loads the app's
 *   entry files, keeps the function registry, and invokes functions through the app's own
 *   `@azure/functions` ProgrammingModel with RPC-shaped input data.
 * - `http/`: the HTTP front door. Serves HTTP triggers under `/api/...` and forwards the Durable
 *   management API (`/runtime/webhooks/durabletask/...` and the client's RPC base `/durabletask/...`)
 *   to the durable engine.
 * - `durable/`: the Durable Task extension: orchestration episodes through durable-functions' own
 *   replay, activities, timers, external events, the management API, and storage (memory or Azurite).
 *
 * They meet only through the types below.
 */

/** RPC typed data, as the worker protocol defines it (one variant set). */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
  collectionBytes?: { bytes?: Uint8Array[] } | null;
  collectionString?: { string?: string[] } | null;
  collectionDouble?: { double?: number[] } | null;
  collectionSint64?: { sint64?: number[] } | null;
}

/** RPC HTTP data, as the host sends it to the worker and receives it back. */
export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  body?: RpcTypedData | null;
  params?: Record<string, string> | null;
  statusCode?: string | null;
  query?: Record<string, string> | null;
  enableContentNegotiation?: boolean | null;
  rawBody?: RpcTypedData | null;
  cookies?: unknown[] | null;
  nullableHeaders?: Record<string, { value?: string | null }> | null;
  nullableParams?: Record<string, { value?: string | null }> | null;
  nullableQuery?: Record<string, { value?: string | null }> | null;
}

/** One named input of an invocation. `name` must be a binding name of the function. */
export interface RpcParameterBinding {
  name: string;
  data: RpcTypedData;
}

/** A binding as registered by the app (the whole binding options object, as `@azure/functions` passes it). */
export interface RegisteredBinding {
  type: string;
  direction?: 'in' | 'out' | 'inout' | null;
  [option: string]: unknown;
}

/** A function the app registered through `@azure/functions-core` `registerFunction`. */
export interface RegisteredFunction {
  /** The function name (also the activity or orchestrator name for durable triggers). */
  name: string;
  /** The trigger binding's type, e.g. `httpTrigger`, `orchestrationTrigger`, `activityTrigger`. */
  triggerType: string;
  /** The name of the trigger binding (the key in `bindings`). */
  triggerBindingName: string;
  /** All bindings, keyed by binding name, exactly as registered. */
  bindings: Record<string, RegisteredBinding>;
}

/** The outcome of one invocation. A failed invocation carries the error message as the worker reports it. */
export type InvocationOutcome =
  | { ok: true; returnValue?: RpcTypedData | null; outputData?: RpcParameterBinding[] }
  | { ok: false; error: { message: string; stack?: string } };

/** Invokes the app's functions. Implemented by `worker/`, used by `durable/` and `http/`. */
export interface FunctionInvoker {
  /** Every function the app registered, in registration order. */
  list(): readonly RegisteredFunction[];
  /** The function named `name`, if registered. */
  get(name: string): RegisteredFunction | undefined;
  /**
   * Invokes a function with RPC-shaped inputs. `inputData` names must be binding names of the
   * function; the trigger's input is the entry named after `triggerBindingName`.
   */
  invoke(
    name: string,
    inputData: RpcParameterBinding[],
    options?: { triggerMetadata?: Record<string, RpcTypedData>; invocationId?: string },
  ): Promise<InvocationOutcome>;
}

/** A plain HTTP request as the front door hands it to a handler (path already split from the query). */
export interface HostHttpRequest {
  method: string;
  /** The absolute URL of the request. */
  url: URL;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** A plain HTTP response. */
export interface HostHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** A clock. The durable engine takes its time and timers from one, so tests can drive a virtual clock. */
export interface Clock {
  /** The current time. */
  now(): Date;
  /** Calls `callback` once `now() >= at`. Returns a function that cancels the timer. */
  schedule(at: Date, callback: () => void): () => void;
}

/** The parts of the durable engine that the front door and the worker need. */
export interface DurableEngineHandle {
  /** The JSON string the worker passes as the value of a `durableClient` input binding. */
  clientBindingPayload(): string;
  /**
   * Handles a Durable management API request. `path` is relative to the API base, i.e. what follows
   * `/runtime/webhooks/durabletask/` or `/durabletask/`, e.g. `instances/abc/raiseEvent/approve`.
   */
  handleManagementRequest(path: string, request: HostHttpRequest): Promise<HostHttpResponse>;
}
