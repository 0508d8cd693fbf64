import type { z } from 'zod';

/**
 * An activity defined once, with its name and the schemas of what crosses the boundary. The
 * orchestrator calls it through this definition and the activity registration parses with it, so the
 * name and the payload shape cannot drift apart (Temporal's `defineSignal` habit).
 */
export interface ActivityDefinition<Input, Output> {
  readonly name: string;
  readonly input: z.ZodType<Input>;
  readonly output: z.ZodType<Output>;
}

/** Defines an activity. */
export function defineActivity<Input, Output>(
  name: string,
  input: z.ZodType<Input>,
  output: z.ZodType<Output>,
): ActivityDefinition<Input, Output> {
  return Object.freeze({ name, input, output });
}

/** An external event defined once, with its name and payload schema, used by sender and orchestrator. */
export interface ExternalEventDefinition<Payload> {
  readonly name: string;
  readonly payload: z.ZodType<Payload>;
}

/** Defines an external event. */
export function defineExternalEvent<Payload>(
  name: string,
  payload: z.ZodType<Payload>,
): ExternalEventDefinition<Payload> {
  return Object.freeze({ name, payload });
}
