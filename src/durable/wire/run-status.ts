import { z } from 'zod';
import { RunStateSchema, StopReasonSchema } from '../../core/events';
import { RunNonceSchema } from './run-instance';

/** Longest prompt kept in the custom status; keeps it far below Durable's 16 KB limit. */
export const MAX_STATUS_PROMPT = 2000;

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
  pendingRequest: z.object({ requestId: z.string(), agent: z.string(), prompt: z.string() }).nullable(),
  /** The highest event `seq` handed to the run store so far. */
  lastSeq: z.number().int().nonnegative(),
  handoffs: z.number().int().nonnegative(),
  generation: z.number().int().positive(),
  stopReason: StopReasonSchema.optional(),
  /** The run instance's nonce (absent for runs started before #18): what its tokens are bound to. */
  nonce: RunNonceSchema.optional(),
});
export type RunStatus = z.infer<typeof RunStatusSchema>;
