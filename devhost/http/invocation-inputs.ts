import type { DurableEngineHandle, RegisteredFunction, RpcParameterBinding } from '../contracts';

const DURABLE_CLIENT_TYPES = new Set(['durableclient', 'orchestrationclient']);

/** The extra inputs of an invocation, or why the local host cannot provide them. */
export type ExtraInputs = { ok: true; inputs: RpcParameterBinding[] } | { ok: false; message: string };

/**
 * Builds the non-trigger input bindings of `fn`. A `durableClient` (or legacy
 * `orchestrationClient`) input gets the engine's client payload as a JSON string, as the Durable
 * extension sends it. Any other input type is not emulated, and neither is a client input when no
 * durable engine runs: both fail the invocation with a message that says so.
 */
export function extraInputs(fn: RegisteredFunction, durable: DurableEngineHandle | undefined): ExtraInputs {
  const inputs: RpcParameterBinding[] = [];
  for (const [name, binding] of Object.entries(fn.bindings)) {
    if (name === fn.triggerBindingName || binding.direction !== 'in') continue;
    const type = binding.type.toLowerCase();
    if (!DURABLE_CLIENT_TYPES.has(type)) {
      return {
        ok: false,
        message: `Function '${fn.name}' has the input binding '${name}' of type '${binding.type}', which the local host does not emulate (supported: durableClient, orchestrationClient).`,
      };
    }
    if (!durable) {
      return {
        ok: false,
        message: `Function '${fn.name}' has a ${binding.type} input binding, but no Durable engine is running: the app registered no orchestrations, activities or entities, so the local host did not start one.`,
      };
    }
    inputs.push({ name, data: { string: durable.clientBindingPayload() } });
  }
  return { ok: true, inputs };
}
