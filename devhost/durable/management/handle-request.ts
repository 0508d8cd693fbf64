/**
 * The Durable HTTP management API (the extension's `HttpApiHandler`), served by the front door
 * under `/runtime/webhooks/durabletask/` and the client's RPC base `/durabletask/`.
 */
import type { HostHttpRequest, HostHttpResponse } from '../../contracts';
import type { LogSink } from '../../log';
import { emptyReply, errorReply, genericError } from './http-replies';
import { handleGetStatus, handlePurge, handlePurgeByFilter, handleQuery } from './instances-routes';
import type { ManagementDeps } from './management-deps';
import { handleOperation, handleRaiseEvent } from './operation-routes';
import { matchRoute } from './route-path';
import { handleStart } from './start-route';

async function route(
  deps: ManagementDeps,
  path: string,
  request: HostHttpRequest,
): Promise<HostHttpResponse> {
  const matched = matchRoute(path);
  const method = request.method.toUpperCase();
  switch (matched.kind) {
    case 'start':
      return handleStart(deps, request, matched.functionName, matched.instanceId);
    case 'entities':
      return errorReply(501, 'Durable Entities are not emulated by the local host.');
    case 'instances':
      if (method === 'GET') return handleQuery(deps, request);
      if (method === 'DELETE') return handlePurgeByFilter(deps, request);
      return emptyReply(404);
    case 'instance':
      if (matched.operation !== undefined)
        return handleOperation(deps, request, matched.instanceId, matched.operation);
      if (method === 'GET') return handleGetStatus(deps, request, matched.instanceId);
      if (method === 'DELETE') return handlePurge(deps, matched.instanceId);
      return emptyReply(404);
    case 'raiseEvent':
      return handleRaiseEvent(deps, request, matched.instanceId, matched.eventName);
    case 'unknown':
      return emptyReply(404);
  }
}

/** Handles one management request; unexpected errors become the extension's generic 500. */
export async function handleManagementRequest(
  deps: ManagementDeps,
  log: LogSink,
  path: string,
  request: HostHttpRequest,
): Promise<HostHttpResponse> {
  try {
    return await route(deps, path, request);
  } catch (error) {
    const message =
      typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error);
    log({
      level: 'error',
      category: 'system',
      message: `Durable management API ${request.method} ${path} failed: ${message}`,
    });
    return genericError(message);
  }
}
