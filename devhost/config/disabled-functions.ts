import type { FunctionInvoker } from '../contracts';

/**
 * The functions an `AzureWebJobs.<name>.Disabled` app setting disables, as the Functions host reads
 * it: the value `true` (any case) or `1`. Names match case-insensitively, as function names do.
 * Only the dotted form is read (the name the portal and local.settings.json use).
 */
export function disabledFunctions(
  functionNames: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Set<string> {
  const settings = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    const match = /^AzureWebJobs\.(.+)\.Disabled$/i.exec(key);
    if (match && value !== undefined) settings.set(match[1]!.toLowerCase(), value.trim());
  }
  const disabled = new Set<string>();
  for (const name of functionNames) {
    const value = settings.get(name.toLowerCase());
    if (value !== undefined && (value === '1' || value.toLowerCase() === 'true')) disabled.add(name);
  }
  return disabled;
}

/**
 * The app's functions as the Durable extension sees them when some are disabled: a disabled
 * orchestrator or activity is not registered with it ("doesn't exist, is disabled, or is not an
 * activity function"), so neither starts nor runs.
 */
export function withoutDisabled(invoker: FunctionInvoker, disabled: ReadonlySet<string>): FunctionInvoker {
  if (disabled.size === 0) return invoker;
  return {
    list: () => invoker.list().filter((f) => !disabled.has(f.name)),
    get: (name) => (disabled.has(name) ? undefined : invoker.get(name)),
    invoke: (name, inputData, options) => invoker.invoke(name, inputData, options),
  };
}
