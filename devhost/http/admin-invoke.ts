/**
 * `POST /admin/functions/{name}` with the master key: runs a function that is not HTTP-triggered
 * once, as the Functions host does ("Manually run a non HTTP-triggered function"). The local host
 * never fires timers on their schedule; this is how a timer function runs here, for a test or by
 * hand. Answers 202 at once; the invocation's outcome goes to the log.
 */
import type {
  DurableEngineHandle,
  FunctionInvoker,
  InvocationOutcome,
  RpcParameterBinding,
} from '../contracts';
import { extraInputs } from './invocation-inputs';

/** The function name of an admin invocation path, or undefined for any other path. */
export function adminFunctionName(pathname: string): string | undefined {
  const match = /^\/admin\/functions\/([A-Za-z][A-Za-z0-9_-]{0,127})$/.exec(pathname);
  return match?.[1];
}

/** What the host hands a timer trigger that was run by hand: a timer that is not past due. */
const MANUAL_TIMER_INFO = JSON.stringify({
  Schedule: { AdjustForDST: true },
  ScheduleStatus: null,
  IsPastDue: false,
});

/** Starts the invocation; the status the admin route answers with, and the invocation when one started. */
export function invokeByAdmin(
  name: string,
  invoker: FunctionInvoker,
  durable: DurableEngineHandle | undefined,
  invocationId: string,
): { status: 202; invocation: Promise<InvocationOutcome> } | { status: 404 | 400; message: string } {
  const fn = invoker.get(name);
  if (!fn) return { status: 404, message: `No function '${name}'.` };
  if (fn.triggerType.toLowerCase() !== 'timertrigger') {
    return {
      status: 400,
      message: `Function '${name}' has a ${fn.triggerType}; the local host runs only timer functions through the admin API.`,
    };
  }
  const extras = extraInputs(fn, durable);
  if (!extras.ok) return { status: 400, message: extras.message };
  const inputData: RpcParameterBinding[] = [
    { name: fn.triggerBindingName, data: { json: MANUAL_TIMER_INFO } },
    ...extras.inputs,
  ];
  return { status: 202, invocation: invoker.invoke(name, inputData, { invocationId }) };
}
