/**
 * Counts the HTTP exchanges and new TCP connections of this process while it runs, by hop, from
 * Node's diagnostics channels (no patching): requests sent by `node:http` clients and by `fetch`
 * (undici), requests served by this process's `node:http` servers, and client sockets that
 * connected. With the event loop's delay over the same time. For `profile-ours.ts --hops`: how many
 * loopback exchanges a run costs in a batch, and which of them open connections.
 *
 * Hops are told apart by path, which is what the local host's parts serve: `/devstoreaccount1`
 * Azurite, `/v1/` the model server, `/durabletask/` the durable RPC listener (the app's durable
 * client); any other path is a public route, sent by the bench's client to the front door, or by the
 * front door to the worker's HTTP proxy (with the `x-ms-invocation-id` header the library needs).
 */
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What {@link countHttpExchanges} counted. */
export interface HttpExchangeCounts {
  /** Requests sent, by `<client> -> <hop>`. */
  sent: Map<string, number>;
  /** Requests this process served, by hop. */
  served: Map<string, number>;
  /** Client sockets that connected, by destination port's hop. */
  connected: Map<string, number>;
  /** Event-loop delay (ms): mean, 99th percentile, largest. */
  loopDelayMs: { mean: number; p99: number; max: number };
}

function hopOf(path: string, invocationId: unknown): string {
  if (path.startsWith('/devstoreaccount1')) return 'Azurite';
  if (path.startsWith('/v1/')) return 'model server';
  if (path.startsWith('/durabletask/')) return 'durable RPC listener';
  return invocationId === undefined ? 'front door' : "worker's HTTP proxy";
}

function add(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

interface UndiciRequest {
  path: string;
  headers: unknown;
}

/** Starts counting; `stop()` ends it and returns the counts. */
export function countHttpExchanges(): { stop(): HttpExchangeCounts } {
  const counts: Omit<HttpExchangeCounts, 'loopDelayMs'> = {
    sent: new Map(),
    served: new Map(),
    connected: new Map(),
  };
  // The hop of the request a new socket was made for.
  const hopOfSocket = new WeakMap<Socket, string>();
  const onClientRequest = (message: unknown): void => {
    const { request } = message as { request: ClientRequest };
    const hop = hopOf(request.path, request.getHeader('x-ms-invocation-id'));
    // Published when the request is sent, usually with its socket assigned and still connecting.
    if (request.socket) hopOfSocket.set(request.socket, hop);
    else request.once('socket', (socket: Socket) => hopOfSocket.set(socket, hop));
    add(counts.sent, `node:http -> ${hop}`);
  };
  const onFetchRequest = (message: unknown): void => {
    const { request } = message as { request: UndiciRequest };
    const invocationId = JSON.stringify(request.headers).includes('x-ms-invocation-id') ? '' : undefined;
    add(counts.sent, `fetch -> ${hopOf(request.path, invocationId)}`);
  };
  const onServerRequest = (message: unknown): void => {
    const { request } = message as { request: IncomingMessage };
    add(counts.served, hopOf(request.url ?? '', request.headers['x-ms-invocation-id']));
  };
  const onClientSocket = (message: unknown): void => {
    const { socket } = message as { socket: Socket };
    // Looked up a turn later: the request that made the socket may be sent after it connected.
    socket.once('connect', () =>
      setImmediate(() => add(counts.connected, hopOfSocket.get(socket) ?? 'a fetch client')),
    );
  };
  const channels: Array<[string, (message: unknown) => void]> = [
    ['http.client.request.start', onClientRequest],
    ['undici:request:create', onFetchRequest],
    ['http.server.request.start', onServerRequest],
    ['net.client.socket', onClientSocket],
  ];
  for (const [name, listener] of channels) diagnostics.subscribe(name, listener);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return {
    stop() {
      for (const [name, listener] of channels) diagnostics.unsubscribe(name, listener);
      delay.disable();
      const ms = (ns: number) => ns / 1e6;
      return {
        ...counts,
        loopDelayMs: { mean: ms(delay.mean), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      };
    },
  };
}
