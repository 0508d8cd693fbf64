/**
 * The vocabulary of the hostile-input corpus: a request (raw, so nothing normalizes it), its
 * category, and what the generators know about the runs under attack.
 */
import type { RawRequest } from '../../../support/raw-http';
import type { StartedRun } from '../run-api';

/** One hostile or malformed request. */
export interface HostileRequest extends RawRequest {
  category: string;
  /** What is hostile about it, for failure messages. */
  label: string;
  /**
   * `rejected` (the default): the API must answer 4xx. `any`: a request that is odd but may be
   * valid (a unicode message, a body with an unusual content type) may also succeed. Never 5xx.
   */
  accept?: 'rejected' | 'any';
}

/** Marks requests that may legitimately succeed. */
export function mayPass(requests: HostileRequest[]): HostileRequest[] {
  return requests.map((request) => ({ ...request, accept: 'any' }));
}

/** What the generators attack. */
export interface CorpusContext {
  functionKey: string;
  /** Runs in progress that must finish unharmed: only invalid credentials or invalid bodies reach them. */
  protectedRuns: readonly StartedRun[];
  /** A run waiting for input that may receive anything, valid replies included. */
  sacrificial: StartedRun;
  /** A run that has ended. */
  finished: StartedRun;
  /** The open request id of each waiting run, by run id. */
  openRequests: ReadonlyMap<string, string>;
}

/** The prefix of the workflow routes. */
export const WORKFLOWS = '/api/workflows';
/** The workflow under attack. */
export const WF = 'customer_support';

/** A header line: name and value (a Buffer for raw bytes). */
export type Header = readonly [string, string | Buffer];

/** `Authorization: Bearer <token>`. */
export function bearer(token: string): Header {
  return ['Authorization', `Bearer ${token}`];
}

/** A POST with a body (JSON content type unless `headers` says otherwise). */
export function post(
  category: string,
  label: string,
  target: string,
  body: string | Buffer,
  headers: readonly Header[] = [],
): HostileRequest {
  const hasType = headers.some(([name]) => name.toLowerCase() === 'content-type');
  return {
    category,
    label,
    method: 'POST',
    target,
    body,
    headers: hasType ? headers : [['Content-Type', 'application/json'], ...headers],
  };
}

/** A GET. */
export function get(
  category: string,
  label: string,
  target: string | Buffer,
  headers: readonly Header[] = [],
): HostileRequest {
  return { category, label, method: 'GET', target, headers };
}

/** The routes of a run, by name. */
export function runRoute(
  route: 'status' | 'events' | 'respond' | 'terminate',
  runId: string,
  name = WF,
): string {
  return `${WORKFLOWS}/${name}/${route}/${runId}`;
}

/** `POST .../run` of workflow `name`. */
export function startRoute(name = WF): string {
  return `${WORKFLOWS}/${name}/run`;
}

/** A JSON text of `value` (JSON.stringify escapes lone surrogates, so the text stays well-formed). */
export function jsonOf(value: unknown): string {
  return JSON.stringify(value);
}

/** The credential values a request carries (Authorization, keys, ?token= and ?code=), long enough to matter. */
export function credentialsOf(hostile: HostileRequest): string[] {
  const values: string[] = [];
  for (const [name, value] of hostile.headers ?? []) {
    const text = value.toString();
    if (name.toLowerCase() === 'authorization') values.push(text.replace(/^\S+\s+/, '').trim());
    if (name.toLowerCase() === 'x-functions-key') values.push(text);
  }
  const query = hostile.target.toString().split('?')[1] ?? '';
  for (const pair of query.split('&')) {
    const [key, value] = pair.split('=');
    if ((key === 'token' || key === 'code') && value) values.push(safeDecode(value));
  }
  return values.filter((value) => value.length >= 12);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
