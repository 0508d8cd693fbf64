/**
 * Port helpers for the Azurite launcher: pick free ports, and wait until a port accepts
 * connections.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * `count` distinct ports that were free a moment ago. All are held open until all are known, so
 * the OS cannot hand out the same port twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = net.createServer();
      server.unref();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Resolves once every port answers; rejects with `onTimeout()`'s error at the deadline or as soon
 * as `failed()` reports a reason (e.g. the process exited).
 */
export async function waitForPorts(
  ports: readonly number[],
  deadlineMs: number,
  failed: () => string | undefined,
  onTimeout: (reason: string) => Error,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const reason = failed();
    if (reason !== undefined) throw onTimeout(reason);
    const answers = await Promise.all(ports.map((port) => portAnswers(port, 250)));
    if (answers.every(Boolean)) return;
    if (Date.now() > deadline)
      throw onTimeout(`its ports did not accept connections within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
