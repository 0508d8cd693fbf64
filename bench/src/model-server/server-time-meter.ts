/**
 * Measures the time the scripted model server spends on each request, from the moment Node has
 * parsed the request headers to the moment the response is handed to the socket, through Node's
 * own `http.server.*` diagnostics channels. Nothing in the server is changed to measure it.
 *
 * Framework overhead is a run's wall time minus this time, so the model's "thinking" (zero, or the
 * configured latency) and the server's own JSON work are not charged to the framework.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

interface ServerMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket?: Socket;
}

/** Requests finished and the milliseconds spent on them since the last {@link ServerTimeMeter.take}. */
export interface ServerTime {
  requests: number;
  serverMs: number;
}

/** A meter for the HTTP server listening on one local port of this process. */
export interface ServerTimeMeter {
  /** The time measured since the previous call (or since the meter started), then starts again from zero. */
  take(): ServerTime;
  /** Stops listening to the diagnostics channels. */
  stop(): void;
}

/** Starts measuring the HTTP server of this process that listens on `port`. */
export function meterServerTime(port: number): ServerTimeMeter {
  const started = new WeakMap<ServerResponse, number>();
  let requests = 0;
  let serverMs = 0;
  const onStart = (message: unknown): void => {
    const { response, socket } = message as ServerMessage;
    if (socket?.localPort === port) started.set(response, performance.now());
  };
  const onFinish = (message: unknown): void => {
    const { response } = message as ServerMessage;
    const start = started.get(response);
    if (start === undefined) return;
    started.delete(response);
    requests += 1;
    serverMs += performance.now() - start;
  };
  diagnosticsChannel.subscribe('http.server.request.start', onStart);
  diagnosticsChannel.subscribe('http.server.response.finish', onFinish);
  return {
    take() {
      const time = { requests, serverMs };
      requests = 0;
      serverMs = 0;
      return time;
    },
    stop() {
      diagnosticsChannel.unsubscribe('http.server.request.start', onStart);
      diagnosticsChannel.unsubscribe('http.server.response.finish', onFinish);
    },
  };
}
