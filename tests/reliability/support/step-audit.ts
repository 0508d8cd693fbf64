/**
 * The crash loop's audits of exactly-once: a model response the run recorded must never be
 * requested again, and a tool call whose result the run recorded must never be executed again.
 * Pure: it reads what the test collected (the run store's step records, the model server's
 * requests, the orders table's request log).
 */
import type { ObservedCall } from './charge-audit';
import { callOfResponse, expectedToolRuns, storyCalls, type Story } from './run-stories';

/** A model response an agent turn recorded (a `!turn-<seq>-mNNN` row). */
export interface RecordedResponse {
  runId: string;
  message: { authorName: string; text: string; toolCalls?: { name: string; arguments: string }[] };
  recordedAt: number;
}

/** A tool result an agent turn recorded (a `!turn-<seq>-tNNN-NNN` row). */
export interface RecordedToolResult {
  runId: string;
  callId: string;
  recordedAt: number;
}

/** One execution of a sample tool, as the orders table logged it. */
export interface ToolExecution {
  tool: string;
  idempotencyKey: string;
  at: number;
}

/** What the audits found. */
export interface StepAudit {
  /** Requests of a model call made after its response was recorded. */
  responsesRequestedAgain: string[];
  /** Executions of a tool call after its result was recorded. */
  toolCallsExecutedAgain: string[];
  /** Executions repeated before the result was recorded (a kill cut the first one short): allowed. */
  toolCallsRerunAfterKill: number;
  /** Tool calls that ran. */
  toolCalls: number;
  /** Anything else wrong: a response no story call matches, a call run under two keys, a run without a record. */
  problems: string[];
}

/** Audits the collected records; `stories` by run id. */
export function auditSteps(input: {
  stories: ReadonlyMap<string, Story>;
  responses: readonly RecordedResponse[];
  toolResults: readonly RecordedToolResult[];
  calls: readonly ObservedCall[];
  executions: readonly ToolExecution[];
}): StepAudit {
  const problems: string[] = [];
  const recordedAt = new Map<string, number>();
  for (const response of input.responses) {
    const story = input.stories.get(response.runId);
    const call = story && callOfResponse(story, response.message);
    if (!call) {
      problems.push(
        `${response.runId}: a recorded response no story call gives: ${JSON.stringify(response.message)}`,
      );
      continue;
    }
    recordedAt.set(call.key, Math.min(recordedAt.get(call.key) ?? Infinity, response.recordedAt));
  }
  // Every response a story gets is recorded: without records, the audit below would have nothing to check.
  for (const story of input.stories.values()) {
    for (const call of storyCalls(story)) {
      if (!recordedAt.has(call.key)) problems.push(`the response to ${call.key} was never recorded`);
    }
  }
  const responsesRequestedAgain = input.calls.flatMap((call) => {
    const recorded = recordedAt.get(call.key);
    return recorded !== undefined && call.at > recorded
      ? [`${call.key} requested ${call.at - recorded} ms after its response was recorded`]
      : [];
  });

  const completedAt = new Map(input.toolResults.map((r) => [`${r.runId}:${r.callId}`, r.recordedAt]));
  const byKey = new Map<string, ToolExecution[]>();
  for (const execution of input.executions) {
    byKey.set(execution.idempotencyKey, [...(byKey.get(execution.idempotencyKey) ?? []), execution]);
  }
  const toolCallsExecutedAgain: string[] = [];
  let toolCallsRerunAfterKill = 0;
  for (const [key, executions] of byKey) {
    const completed = completedAt.get(key);
    if (completed === undefined) problems.push(`${key} was executed but its result was never recorded`);
    const sorted = [...executions].sort((a, b) => a.at - b.at);
    for (const repeat of sorted.slice(1)) {
      if (completed !== undefined && repeat.at > completed) {
        toolCallsExecutedAgain.push(
          `${key} executed ${repeat.at - completed} ms after its result was recorded`,
        );
      } else {
        toolCallsRerunAfterKill += 1;
      }
    }
  }
  // Each tool step of a story runs under one idempotency key: a second key would be a second effect.
  for (const [runId, story] of input.stories) {
    const expected = expectedToolRuns(story).length;
    const keys = [...byKey.keys()].filter((key) => key.startsWith(`${runId}:`)).length;
    if (keys !== expected)
      problems.push(
        `${runId}: its tools ran under ${keys} idempotency keys; the story runs ${expected} calls`,
      );
  }
  return {
    responsesRequestedAgain,
    toolCallsExecutedAgain,
    toolCallsRerunAfterKill,
    toolCalls: byKey.size,
    problems,
  };
}
