/**
 * What a run-scoped call needs to name a run: its workflow and id, and its token unless the client
 * has a function key. A {@link RunHandle} from `startRun` is one; so is one you stored earlier.
 */
export interface RunRef {
  workflow: string;
  runId: string;
  /** The run token from `startRun`; optional when the client was given a function key. */
  token?: string | undefined;
}

/** The API path of a run-scoped route, e.g. `/workflows/customer_support/status/abc`. */
export function runPath(run: RunRef, action: 'status' | 'events' | 'respond' | 'terminate'): string {
  return `/workflows/${encodeURIComponent(run.workflow)}/${action}/${encodeURIComponent(run.runId)}`;
}
