/**
 * Parsing the raw JSON arguments a model wrote for a tool call.
 */
import type { FunctionTool } from './tool';
import { formatIssues } from './zod-issues';

/** Parsed arguments, or why they are unusable. */
export type ParsedArguments = { ok: true; value: unknown } | { ok: false; problem: string };

/** `JSON.parse` of `raw`, where empty text means `{}` (some providers send '' for calls without arguments). */
export function parseJsonArguments(raw: string): ParsedArguments {
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `the arguments are not valid JSON (${reason})` };
  }
}

/** Arguments parsed as JSON and validated with the tool's zod schema. */
export function parseToolArguments(t: FunctionTool, raw: string): ParsedArguments {
  const json = parseJsonArguments(raw);
  if (!json.ok) return json;
  const result = t.parameters.safeParse(json.value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problem: formatIssues('the arguments do not match the schema', result.error) };
}

/**
 * The optional `reason` of a handoff call. Malformed JSON or a non-string reason never blocks the
 * handoff: the reason is left out and `problem` says why.
 */
export function parseHandoffReason(raw: string): { reason?: string; problem?: string } {
  const json = parseJsonArguments(raw);
  if (!json.ok) return { problem: json.problem };
  const value = json.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'the arguments are not a JSON object' };
  }
  const reason = (value as { reason?: unknown }).reason;
  if (reason === undefined || reason === null) return {};
  if (typeof reason !== 'string') return { problem: `reason is a ${typeof reason}, not a string` };
  return reason.trim() === '' ? {} : { reason: reason.trim() };
}
