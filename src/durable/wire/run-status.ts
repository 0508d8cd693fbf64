import { z } from 'zod';
import { ApprovalToolSchema, RunStateSchema, StopReasonSchema, type ApprovalTool } from '../../core/events';
import { RunNonceSchema } from './run-instance';
import { RunTraceSchema } from './run-trace';

/** Longest prompt kept in the custom status; keeps it far below Durable's 16 KB limit. */
export const MAX_STATUS_PROMPT = 2000;

/** Longest JSON of a tool call's arguments kept in the custom status (the event keeps them whole). */
export const MAX_STATUS_ARGUMENTS = 8000;

/**
 * The tool call of an approval request as the custom status keeps it: arguments whose JSON is longer
 * than {@link MAX_STATUS_ARGUMENTS} are replaced by the start of that JSON, as a string ending in '…'.
 */
export function statusTool(tool: ApprovalTool): ApprovalTool {
  const json = JSON.stringify(tool.arguments);
  return json.length <= MAX_STATUS_ARGUMENTS
    ? tool
    : { ...tool, arguments: `${json.slice(0, MAX_STATUS_ARGUMENTS)}…` };
}

/**
 * The orchestration's custom status: small, and enough for the status endpoint and front ends to
 * know where a run stands without reading its history.
 */
export const RunStatusSchema = z.object({
  v: z.literal(1),
  workflow: z.string(),
  state: RunStateSchema,
  activeAgent: z.string(),
  turn: z.number().int().nonnegative(),
  /** The open request; `kind` and `tool` only for a tool approval (a reply request has neither). */
  pendingRequest: z
    .object({
      requestId: z.string(),
      agent: z.string(),
      prompt: z.string(),
      kind: z.literal('tool_approval').optional(),
      tool: ApprovalToolSchema.optional(),
    })
    .nullable(),
  /** The highest event `seq` handed to the run store so far. */
  lastSeq: z.number().int().nonnegative(),
  handoffs: z.number().int().nonnegative(),
  generation: z.number().int().positive(),
  stopReason: StopReasonSchema.optional(),
  /** The run instance's nonce (absent for runs started before #18): what its tokens are bound to. */
  nonce: RunNonceSchema.optional(),
  /** The run's trace (absent when telemetry was off at its start): what the API's spans link to. */
  trace: RunTraceSchema.optional(),
});
export type RunStatus = z.infer<typeof RunStatusSchema>;
