/**
 * `GET|DELETE instances/` (query, purge by filter) and `GET|DELETE instances/{id}` (status, purge).
 */
import type { HostHttpRequest, HostHttpResponse } from '../../contracts';
import {
  findInstances,
  purgeFinishedInstance,
  purgeInstance,
  readStatus,
  type InstanceFilter,
} from '../client/instance-operations';
import { toInstanceStatus } from '../status/instance-status';
import { emptyReply, jsonReply } from './http-replies';
import type { ManagementDeps } from './management-deps';
import { isTerminal } from '../runtime-status';
import { boolParam, dateParam, intParam, statusesParam } from './query-params';
import { statusReply } from './status-reply';

const CONTINUATION_HEADER = 'x-ms-continuation-token';

function filterOf(params: URLSearchParams): InstanceFilter {
  const runtimeStatus = statusesParam(params, 'runtimeStatus');
  const createdTimeFrom = dateParam(params, 'createdTimeFrom');
  const createdTimeTo = dateParam(params, 'createdTimeTo');
  const instanceIdPrefix = params.get('instanceIdPrefix');
  return {
    ...(runtimeStatus ? { runtimeStatus } : {}),
    ...(createdTimeFrom ? { createdTimeFrom } : {}),
    ...(createdTimeTo ? { createdTimeTo } : {}),
    ...(instanceIdPrefix === null ? {} : { instanceIdPrefix }),
  };
}

/** `GET instances/`: a page of statuses; `top` sets the page size, the header continues. */
export async function handleQuery(deps: ManagementDeps, request: HostHttpRequest): Promise<HostHttpResponse> {
  const params = request.url.searchParams;
  const records = await findInstances(deps, filterOf(params));
  const showInput = boolParam(params, 'showInput') ?? false;
  const top = intParam(params, 'top');
  const token = request.headers[CONTINUATION_HEADER];
  const offset =
    token && /^\d+$/.test(Buffer.from(token, 'base64').toString('utf8'))
      ? Number(Buffer.from(token, 'base64').toString('utf8'))
      : 0;
  const end = top !== undefined && top > 0 ? offset + top : records.length;
  const page = records.slice(offset, end).map((record) => toInstanceStatus(record, { showInput }));
  const headers: Record<string, string> =
    end < records.length ? { [CONTINUATION_HEADER]: Buffer.from(String(end)).toString('base64') } : {};
  return jsonReply(200, page, headers);
}

/** `DELETE instances/?createdTimeFrom=...`: purges matching instances. */
export async function handlePurgeByFilter(
  deps: ManagementDeps,
  request: HostHttpRequest,
): Promise<HostHttpResponse> {
  const params = request.url.searchParams;
  const from = dateParam(params, 'createdTimeFrom');
  if (!from) return jsonReply(400, "Please provide value for 'createdTimeFrom' parameter.");
  const filter = filterOf(params);
  // The Azure Storage provider keeps only the terminal statuses of the filter; with none left (or
  // none given) it filters on creation time alone, so running instances in the range go too.
  const runtimeStatus = (filter.runtimeStatus ?? []).filter(isTerminal);
  const matches = await findInstances(deps, {
    createdTimeFrom: from,
    createdTimeTo: filter.createdTimeTo ?? deps.clock.now(),
    ...(runtimeStatus.length > 0 ? { runtimeStatus } : {}),
  });
  let deleted = 0;
  for (const record of matches) {
    if (await purgeInstance(deps, record.instanceId)) deleted += 1;
  }
  return deleted === 0 ? emptyReply(404) : jsonReply(200, { instancesDeleted: deleted });
}

/** `GET instances/{id}`: the status, with history on request. */
export async function handleGetStatus(
  deps: ManagementDeps,
  request: HostHttpRequest,
  instanceId: string,
): Promise<HostHttpResponse> {
  const params = request.url.searchParams;
  const status = await readStatus(deps, instanceId, {
    showHistory: boolParam(params, 'showHistory') ?? false,
    showHistoryOutput: boolParam(params, 'showHistoryOutput') ?? false,
    showInput: boolParam(params, 'showInput') ?? true,
  });
  if (!status) return emptyReply(404);
  return statusReply(status, request, boolParam(params, 'returnInternalServerErrorOnFailure') ?? false);
}

/** `DELETE instances/{id}`: purges one instance. */
export async function handlePurge(deps: ManagementDeps, instanceId: string): Promise<HostHttpResponse> {
  const result = await purgeFinishedInstance(deps, instanceId);
  if (typeof result !== 'string') return jsonReply(412, result.refused);
  return result === 'purged' ? jsonReply(200, { instancesDeleted: 1 }) : emptyReply(404);
}
