/**
 * The get-status response: 202 with Location and Retry-After while the instance runs, 200 once
 * it finished (Failed too, unless `returnInternalServerErrorOnFailure=true`).
 */
import type { HostHttpRequest, HostHttpResponse } from '../../contracts';
import type { InstanceStatus } from '../status/instance-status';
import { jsonReply } from './http-replies';

/** Maps a status to the extension's response. */
export function statusReply(
  status: InstanceStatus,
  request: HostHttpRequest,
  returnInternalServerErrorOnFailure = false,
): HostHttpResponse {
  switch (status.runtimeStatus) {
    case 'Running':
    case 'Pending':
    case 'ContinuedAsNew':
    case 'Suspended':
      return jsonReply(202, status, { location: request.url.href, 'retry-after': '5' });
    case 'Failed':
      return jsonReply(returnInternalServerErrorOnFailure ? 500 : 200, status);
    default:
      return jsonReply(200, status);
  }
}
