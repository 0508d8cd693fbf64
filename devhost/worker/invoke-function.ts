import type { InvocationOutcome, RpcParameterBinding, RpcTypedData } from '../contracts';
import type { LogCategory, LogLevel } from '../log';
import type { CoreInvocationContext, ProgrammingModel } from './core-types';
import type { FunctionEntry } from './function-registry';
import type { HookRegistry } from './hook-registry';

/** What one invocation needs from the worker. */
export interface InvocationDeps {
  programmingModel: ProgrammingModel;
  hooks: HookRegistry;
  appHookData: Record<string, unknown>;
  log(level: LogLevel, category: LogCategory, message: string, fn: FunctionEntry, invocationId: string): void;
}

// Duck-typed: the app runs in Node's main realm, which under a test runner is not this module's realm.
function errorOf(value: unknown): { message: string; stack?: string } {
  if (typeof value === 'object' && value !== null && typeof (value as Error).message === 'string') {
    const { message, stack } = value as Error;
    return typeof stack === 'string' ? { message, stack } : { message };
  }
  return { message: typeof value === 'string' ? value : JSON.stringify(value) };
}

function readOnlyHookFields(
  hookData: Record<string, unknown>,
  appHookData: Record<string, unknown>,
  invocationContext: unknown,
): PropertyDescriptorMap {
  return {
    hookData: { get: () => hookData, enumerable: true },
    appHookData: { get: () => appHookData, enumerable: true },
    invocationContext: { get: () => invocationContext, enumerable: true },
  };
}

/**
 * Runs one invocation in the order of the worker's `InvocationHandler`: build the core context, get
 * the arguments from the app's InvocationModel (so `@azure/functions` converts the RPC data itself),
 * run preInvocation hooks, invoke, run postInvocation hooks, then convert the result to an RPC response.
 */
export async function invokeFunction(
  deps: InvocationDeps,
  fn: FunctionEntry,
  invocationId: string,
  inputData: RpcParameterBinding[],
  triggerMetadata: Record<string, RpcTypedData>,
): Promise<InvocationOutcome> {
  const coreCtx: CoreInvocationContext = {
    invocationId,
    request: { invocationId, functionId: fn.metadata.functionId, inputData, triggerMetadata },
    metadata: fn.metadata,
    log: (level, category, message) => deps.log(level, category, message, fn, invocationId),
  };
  try {
    const model = await deps.programmingModel.getInvocationModel(coreCtx);
    const { context, inputs: initialInputs } = await model.getArguments();
    // Read-only fields, as in the worker: the library's hook contexts throw on assignment.
    const readOnly = readOnlyHookFields({}, deps.appHookData, context);
    const pre = Object.defineProperties({ inputs: initialInputs, functionCallback: fn.callback }, readOnly);
    coreCtx.state = 'preInvocationHooks';
    await deps.hooks.run('preInvocation', pre);

    coreCtx.state = 'invocation';
    let result: unknown;
    let error: unknown;
    try {
      result = await model.invokeFunction(context, pre.inputs, pre.functionCallback);
    } catch (thrown) {
      error = thrown;
    }

    const post = Object.defineProperties({ inputs: pre.inputs, result, error }, readOnly);
    coreCtx.state = 'postInvocationHooks';
    await deps.hooks.run('postInvocation', post);
    coreCtx.state = undefined;

    if (post.error !== undefined && post.error !== null) return { ok: false, error: errorOf(post.error) };
    const response = await model.getResponse(context, post.result);
    return {
      ok: true,
      ...(response.returnValue === undefined ? {} : { returnValue: response.returnValue }),
      ...(response.outputData && response.outputData.length > 0 ? { outputData: response.outputData } : {}),
    };
  } catch (error) {
    coreCtx.state = undefined;
    return { ok: false, error: errorOf(error) };
  }
}
