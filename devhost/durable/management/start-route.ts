/**
 * `POST orchestrators/{functionName}/{instanceId?}`: starts an instance and answers 202 with the
 * management URLs, or waits for completion with `?timeout=&pollingInterval=` (seconds).
 */
import type { HostHttpRequest, HostHttpResponse } from '../../contracts';
import { DevhostError } from '../../errors';
import { startInstance } from '../client/instance-operations';
import { isTerminal } from '../runtime-status';
import { argumentError, emptyReply, errorReply, jsonReply } from './http-replies';
import type { ManagementDeps } from './management-deps';
import { managementUrls } from './management-urls';
import { statusReply } from './status-reply';

/** The 202 "check status" response of a started instance. */
export function checkStatusReply(
  deps: ManagementDeps,
  request: HostHttpRequest,
  instanceId: string,
): HostHttpResponse {
  const urls = managementUrls(request.url.origin, deps.hubName, instanceId, deps.managementKey);
  const body = {
    id: instanceId,
    statusQueryGetUri: urls.statusQueryGetUri,
    sendEventPostUri: urls.sendEventPostUri,
    terminatePostUri: urls.terminatePostUri,
    purgeHistoryDeleteUri: urls.purgeHistoryDeleteUri,
    restartPostUri: urls.restartPostUri,
    suspendPostUri: urls.suspendPostUri,
    resumePostUri: urls.resumePostUri,
  };
  return jsonReply(202, body, { location: urls.statusQueryGetUri, 'retry-after': '10' });
}

function seconds(value: string | null): number | undefined {
  if (value === null) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Waits like `WaitForCompletionOrCreateCheckStatusResponseAsync`. */
async function waitForCompletion(
  deps: ManagementDeps,
  request: HostHttpRequest,
  instanceId: string,
  timeoutSeconds: number,
  pollingSeconds: number,
): Promise<HostHttpResponse> {
  if (pollingSeconds > timeoutSeconds) {
    return argumentError(
      `Total timeout ${timeoutSeconds} should be bigger than retry timeout ${pollingSeconds}`,
    );
  }
  try {
    const status = await deps.waitFor(instanceId, (s) => isTerminal(s.runtimeStatus), {
      timeoutMs: timeoutSeconds * 1000,
    });
    if (status.runtimeStatus === 'Completed') return jsonReply(200, status.output);
    return statusReply(status, request);
  } catch (error) {
    if (error instanceof DevhostError && error.code === 'wait_timeout')
      return checkStatusReply(deps, request, instanceId);
    throw error;
  }
}

/** Handles a start request. */
export async function handleStart(
  deps: ManagementDeps,
  request: HostHttpRequest,
  functionName: string,
  instanceId: string | undefined,
): Promise<HostHttpResponse> {
  if (request.method.toUpperCase() !== 'POST') return emptyReply(404);
  let inputJson: string | null = null;
  if (request.body.length > 0) {
    try {
      inputJson = JSON.stringify(JSON.parse(request.body.toString('utf8')));
    } catch (error) {
      return errorReply(400, 'Invalid JSON content', {
        message: (error as Error).message,
        type: 'Newtonsoft.Json.JsonReaderException',
      });
    }
  }
  const version = request.url.searchParams.get('version');
  const result = await startInstance(deps, {
    name: functionName,
    ...(instanceId === undefined ? {} : { instanceId }),
    inputJson,
    ...(version === null ? {} : { version }),
  });
  if (!result.ok) {
    // The extension answers 409 with the exception's message (seen on 3.19.0: the client throws
    // "unexpected status code: 409. Details: {"Message":"An Orchestration instance with the status
    // Running already exists."}").
    if (result.reason === 'instance_exists') return errorReply(409, result.message);
    return argumentError(result.message);
  }
  const timeout = seconds(request.url.searchParams.get('timeout'));
  const polling = seconds(request.url.searchParams.get('pollingInterval'));
  if (timeout !== undefined && polling !== undefined) {
    return waitForCompletion(deps, request, result.instanceId, timeout, polling);
  }
  return checkStatusReply(deps, request, result.instanceId);
}
