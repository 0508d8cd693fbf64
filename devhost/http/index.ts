/**
 * The local host's HTTP front door: HTTP triggers under the route prefix, auth levels with host
 * keys, HTTP streaming, and the Durable management API forwarded to the durable engine.
 */
export { createFrontDoor, MANAGEMENT_KEY_REQUIRED, type FrontDoorOptions } from './front-door';
export { FrontDoorServer, LOOPBACK } from './front-door-server';
export { loadHostKeys, type HostKeys, type HostKeySource } from './host-keys';
export { DEFAULT_MAX_REQUEST_BODY_BYTES } from './read-body';
export {
  AUTH_LEVELS,
  buildRouteTable,
  type AuthLevel,
  type HttpRoute,
  type RouteMatch,
  type RouteTable,
} from './route-table';
export { MANAGEMENT_PREFIXES, RPC_PREFIX } from './management-forward';
export { createRpcListener } from './rpc-listener';
