/**
 * The slice of durable-handoff's HTTP API a bench run uses, as a client would call it: start a run,
 * read its status, over the bench's lean keep-alive client (`bench-http-client.ts`). Every answer is
 * validated with zod; anything unexpected is a `BenchError`.
 */
import { z } from 'zod';
import { BenchError } from '../bench-error';
import type { RunOutcome } from '../frameworks/framework-under-test';
import { type BenchHttpAnswer, benchHttpRequest } from './bench-http-client';

/** The workflow every scenario runs: the app's `customer_support`. */
export const BENCH_WORKFLOW = 'customer_support';

const StartedRunSchema = z.object({ runId: z.string().min(1), token: z.string().min(1) });
/** What `POST /api/workflows/{name}/run` answers (the fields the bench uses). */
export type StartedRun = z.infer<typeof StartedRunSchema>;

const RunStatusBodySchema = z.object({
  state: z.string(),
  turn: z.number().int().nonnegative(),
  stopReason: z.string().optional(),
  conversation: z.array(z.object({ role: z.string(), authorName: z.string(), text: z.string() })),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
/** What `GET /api/workflows/{name}/status/{runId}` answers (the fields the bench uses). */
export type RunStatusBody = z.infer<typeof RunStatusBodySchema>;

/** An answer's JSON body checked against `schema`; a `BenchError` naming `what` and the answer otherwise. */
export function readJson<T>(response: BenchHttpAnswer, schema: z.ZodType<T>, what: string): T {
  const { text } = response;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BenchError(
      'framework_failed',
      `${what} answered ${response.status} with non-JSON: ${text.slice(0, 300)}`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new BenchError(
      'framework_failed',
      `${what} answered ${response.status} with an unexpected body (${parsed.error.message}): ${text.slice(0, 300)}`,
    );
  }
  return parsed.data;
}

/** `POST {api}/workflows/customer_support/run` with `{ message, mode: "autonomous" }`; expects 202. */
export async function startRunOverHttp(api: string, message: string): Promise<StartedRun> {
  const response = await benchHttpRequest(`${api}/workflows/${BENCH_WORKFLOW}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message, mode: 'autonomous' }),
  });
  if (response.status !== 202) {
    throw new BenchError(
      'framework_failed',
      `Starting a run answered ${response.status}, expected 202: ${response.text.slice(0, 300)}`,
    );
  }
  return readJson(response, StartedRunSchema, 'Starting a run');
}

/** `GET {api}/workflows/customer_support/status/{runId}` with the run's token; expects 200. */
export async function readRunStatusOverHttp(api: string, run: StartedRun): Promise<RunStatusBody> {
  const response = await benchHttpRequest(`${api}/workflows/${BENCH_WORKFLOW}/status/${run.runId}`, {
    method: 'GET',
    headers: { authorization: `Bearer ${run.token}` },
  });
  if (response.status !== 200) {
    throw new BenchError(
      'framework_failed',
      `Reading run ${run.runId} answered ${response.status}, expected 200: ${response.text.slice(0, 300)}`,
    );
  }
  return readJson(response, RunStatusBodySchema, `Reading run ${run.runId}`);
}

/**
 * The run's outcome as the harness checks it: the last agent answer, its author, the run's turn
 * count. A run that did not complete is an error naming its state and stop reason.
 */
export function outcomeOfStatus(runId: string, status: RunStatusBody): RunOutcome {
  if (status.state !== 'completed') {
    const error = status.error ? `: ${status.error.code}: ${status.error.message}` : '';
    throw new BenchError(
      'framework_failed',
      `Run ${runId} ended ${status.state} (stop reason ${status.stopReason ?? 'none'})${error}.`,
    );
  }
  const last = status.conversation.filter((message) => message.role === 'assistant').at(-1);
  return {
    finalAnswer: last?.text ?? '',
    lastAgent: last?.authorName ?? '(none)',
    agentTurns: status.turn,
  };
}
