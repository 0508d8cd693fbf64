/**
 * The public face of the scripted model server: its options and the handle a test holds.
 */
import type {
  PendingStep,
  ScriptResponder,
  ScriptStep,
  ScriptedRequest,
  UnexpectedCall,
} from './script-types';

/** Options of {@link startScriptedModelServer}. */
export interface ScriptedModelServerOptions {
  /** The script; more can be added with {@link ScriptedModelServer.addSteps}. */
  steps?: readonly ScriptStep[];
  /** Answers requests no step matches. */
  responder?: ScriptResponder;
  /** 0 (a free port) by default. */
  port?: number;
  /** `127.0.0.1` by default. */
  host?: string;
  /** Model ids listed by `GET /v1/models`; `["scripted-model"]` by default. */
  models?: readonly string[];
}

/** Options of {@link ScriptedModelServer.waitForRequests}. */
export interface WaitForRequestsOptions {
  /** How long to wait before failing; 10 000 ms by default. */
  timeoutMs?: number;
}

/** A running scripted model server. */
export interface ScriptedModelServer {
  /** The OpenAI base URL, `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** The origin, `http://127.0.0.1:<port>`: the endpoint to give an Azure OpenAI client. */
  readonly origin: string;
  readonly port: number;
  /** Chat Completions requests received, in order (unparseable ones are in {@link failures} only). */
  readonly requests: readonly ScriptedRequest[];
  /** Requests no step or responder answered, or that were malformed, in order. */
  readonly failures: readonly UnexpectedCall[];
  /** Appends steps to the script. */
  addSteps(...steps: ScriptStep[]): void;
  /** Steps that still expect requests. */
  pending(): PendingStep[];
  /** Throws a {@link ScriptedModelServerError} listing unused steps and unexpected calls, if any. */
  assertComplete(): void;
  /** Resolves once `count` requests have arrived; rejects with a message after the deadline. */
  waitForRequests(count: number, options?: WaitForRequestsOptions): Promise<readonly ScriptedRequest[]>;
  /** Forgets steps, requests and failures (completion ids stay unique). */
  reset(): void;
  /** Stops the server, dropping open connections (hanging ones included). Safe to call twice. */
  close(): Promise<void>;
}
