/**
 * Registration of the app's Durable functions without loading durable-functions at start-up
 * (see `durable/durable-functions-sdk.ts`): the same bindings as durable-functions' `app.*` and
 * `input.durableClient()` (plain `@azure/functions` generic bindings), so the host sees the same
 * functions; the package loads at the first invocation that needs it.
 */
import {
  app,
  input,
  trigger,
  type FunctionHandler,
  type InvocationContext,
  type FunctionInput,
  type FunctionTrigger,
} from '@azure/functions';
import type { ActivityHandler, OrchestrationHandler } from 'durable-functions';
import { createOrchestrator } from '../durable/durable-functions-sdk';

/** durable-functions' `trigger.orchestration()`. */
export function orchestrationTrigger(): FunctionTrigger {
  return trigger.generic({ type: 'orchestrationTrigger' });
}

/** durable-functions' `trigger.activity()`. */
export function activityTrigger(): FunctionTrigger {
  return trigger.generic({ type: 'activityTrigger' });
}

/** durable-functions' `input.durableClient()`: what `getClient` looks up in an invocation. */
export function durableClientInput(): FunctionInput {
  return input.generic({ type: 'durableClient' });
}

/**
 * Registers an orchestrator as durable-functions' `app.orchestration` does; its orchestration
 * runtime loads at the first episode.
 */
export function registerOrchestration(name: string, orchestrator: OrchestrationHandler): void {
  let handler: FunctionHandler | undefined;
  app.generic(name, {
    trigger: orchestrationTrigger(),
    handler: (triggerInput: unknown, context: InvocationContext): unknown => {
      handler ??= createOrchestrator(orchestrator);
      return handler(triggerInput, context);
    },
  });
}

/**
 * Registers an activity as durable-functions' `app.activity` does. Its wrapper of the handler only
 * adds the properties of an exception-properties provider (`app.setExceptionPropertiesProvider`)
 * to a failure, and the app registers none, so the handler is registered as it is.
 */
export function registerActivity(name: string, handler: ActivityHandler): void {
  app.generic(name, { trigger: activityTrigger(), handler });
}
