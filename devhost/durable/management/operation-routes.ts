/**
 * `POST instances/{id}/{terminate|suspend|resume|rewind|restart}` and
 * `POST instances/{id}/raiseEvent/{eventName}`.
 */
import type { HostHttpRequest, HostHttpResponse } from '../../contracts';
import {
  controlInstance,
  raiseEvent,
  startInstance,
  type DeliveryResult,
  type RefusedControl,
} from '../client/instance-operations';
import { errorReply, emptyReply, genericError, jsonReply } from './http-replies';
import type { ManagementDeps } from './management-deps';
import { boolParam } from './query-params';
import { checkStatusReply } from './start-route';

function deliveryReply(result: DeliveryResult | RefusedControl): HostHttpResponse {
  // The extension's HTTP API lets the client's InvalidOperationException through as its generic 500.
  if (typeof result !== 'string') return genericError(result.refused, 'System.InvalidOperationException');
  return emptyReply(result === 'accepted' ? 202 : result === 'gone' ? 410 : 404);
}

/** Terminate, suspend, resume, rewind (501) or restart an instance. */
export async function handleOperation(
  deps: ManagementDeps,
  request: HostHttpRequest,
  instanceId: string,
  operation: string,
): Promise<HostHttpResponse> {
  if (request.method.toUpperCase() !== 'POST') return emptyReply(404);
  const reason = request.url.searchParams.get('reason');
  switch (operation.toLowerCase()) {
    case 'terminate':
    case 'suspend':
    case 'resume': {
      const kind = operation.toLowerCase() as 'terminate' | 'suspend' | 'resume';
      return deliveryReply(await controlInstance(deps, kind, instanceId, reason));
    }
    case 'rewind':
      return handleRewind(deps, instanceId);
    case 'restart':
      return handleRestart(deps, request, instanceId);
    default:
      return emptyReply(404);
  }
}

/**
 * Rewind as the extension's HTTP API (3.x) answers it: 404 and 412 with its messages; a failed
 * instance gets 501 because the emulation has no rewind (the Azure Storage provider has one).
 */
async function handleRewind(deps: ManagementDeps, instanceId: string): Promise<HostHttpResponse> {
  const stored = await deps.store.getInstance(instanceId);
  if (!stored) return jsonReply(404, `No orchestration with instance ID "$${instanceId}" found.`);
  const status = stored.record.runtimeStatus;
  if (status !== 'Failed') {
    return jsonReply(
      412,
      `This orchestration has status ${status}, but only orchestrations in the "Failed" state can be rewound.`,
    );
  }
  // Empty body (the extension sends an HttpError object, which durable-functions would report as
  // "[object Object]"): the client then says "not supported by the underlying storage provider".
  return emptyReply(501);
}

async function handleRestart(
  deps: ManagementDeps,
  request: HostHttpRequest,
  instanceId: string,
): Promise<HostHttpResponse> {
  const stored = await deps.store.getInstance(instanceId);
  if (!stored) {
    return errorReply(400, 'InstanceId does not match a valid orchestration instance.', {
      message: `An orchestrastion with the instanceId ${instanceId} was not found.`,
      type: 'System.ArgumentException',
    });
  }
  const newId = boolParam(request.url.searchParams, 'restartWithNewInstanceId') ?? true;
  const result = await startInstance(deps, {
    name: stored.record.name,
    ...(newId ? {} : { instanceId }),
    inputJson: stored.record.input,
  });
  if (!result.ok)
    return errorReply(500, 'Something went wrong while processing your request', {
      message: result.message,
      type: 'System.InvalidOperationException',
    });
  return checkStatusReply(deps, request, result.instanceId);
}

/** Raises an event: 202, 404, 410, or 400 for a non-JSON body. */
export async function handleRaiseEvent(
  deps: ManagementDeps,
  request: HostHttpRequest,
  instanceId: string,
  eventName: string,
): Promise<HostHttpResponse> {
  if (request.method.toUpperCase() !== 'POST') return emptyReply(404);
  const stored = await deps.store.getInstance(instanceId);
  if (!stored) return emptyReply(404);
  const status = stored.record.runtimeStatus;
  if (status === 'Failed' || status === 'Canceled' || status === 'Terminated' || status === 'Completed') {
    return emptyReply(410);
  }
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return errorReply(400, 'Only application/json request content is supported');
  }
  let inputJson: string;
  try {
    inputJson = JSON.stringify(JSON.parse(request.body.toString('utf8')));
  } catch (error) {
    return errorReply(400, 'Invalid JSON content', {
      message: (error as Error).message,
      type: 'Newtonsoft.Json.JsonReaderException',
    });
  }
  return deliveryReply(await raiseEvent(deps, instanceId, eventName, inputJson));
}
