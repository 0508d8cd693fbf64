/**
 * Reads what an orchestrator invocation produced: the `OrchestratorState` returned as JSON, or,
 * when the generator threw, the state durable-functions appends to its error message after
 * `$OutOfProcData$:` (the extension's `TryExtractOutOfProcStateJson`).
 */
import type { InvocationOutcome, RpcTypedData } from '../../contracts';
import { parseOrchestratorState, type OrchestratorState } from './orchestrator-state';

const OUT_OF_PROC_DATA = '\n\n$OutOfProcData$:';

/** The result of one orchestrator invocation. */
export type OrchestratorResult =
  { kind: 'state'; state: OrchestratorState } | { kind: 'failed'; message: string };

function parseState(json: string, source: string): OrchestratorResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { kind: 'failed', message: `${source} is not JSON: ${(error as Error).message}` };
  }
  const parsed = parseOrchestratorState(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'failed',
      message: `${source} is not an OrchestratorState (at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? ''}). Is the function registered with df.app.orchestration?`,
    };
  }
  return { kind: 'state', state: parsed.data };
}

function jsonOf(value: RpcTypedData | null | undefined): string | undefined {
  if (typeof value?.json === 'string') return value.json;
  if (typeof value?.string === 'string') return value.string;
  return undefined;
}

/** Interprets an orchestrator invocation outcome. */
export function orchestratorResultOf(outcome: InvocationOutcome): OrchestratorResult {
  if (outcome.ok) {
    const json = jsonOf(outcome.returnValue);
    if (json === undefined) {
      return {
        kind: 'failed',
        message: 'The orchestrator function returned no value (expected an OrchestratorState).',
      };
    }
    return parseState(json, 'The orchestrator function result');
  }
  const { message } = outcome.error;
  const at = message.indexOf(OUT_OF_PROC_DATA);
  if (at < 0) return { kind: 'failed', message };
  return parseState(
    message.slice(at + OUT_OF_PROC_DATA.length),
    'The out-of-proc data of the orchestrator error',
  );
}
