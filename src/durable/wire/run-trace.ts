import { z } from 'zod';

/**
 * The trace a run belongs to, as a W3C `traceparent` (and `tracestate`): made when the run starts
 * and kept in its orchestration input, so every activity of every generation, on any instance and
 * after any restart, can put its spans under it. Absent when the run started with telemetry off.
 */
export const RunTraceSchema = z.object({
  traceparent: z
    .string()
    .regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'must be a W3C traceparent (version 00)'),
  tracestate: z.string().max(512).optional(),
});
export type RunTrace = z.infer<typeof RunTraceSchema>;
