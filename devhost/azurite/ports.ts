/**
 * Free ports, the one place that picks them (the Azurite launcher, the host and the tests), and
 * waiting until a port accepts connections.
 */
import fs from 'node:fs';
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

/** The kernel's range for outgoing (ephemeral) ports; Linux's default when it cannot be read. */
function ephemeralRange(): { low: number; high: number } {
  try {
    const [low, high] = fs
      .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low !== undefined && high !== undefined && low > 1024) return { low, high };
  } catch {
    // not Linux: use the IANA dynamic range's conservative bound below
  }
  return { low: 32768, high: 60999 };
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free loopback port for a server that must restart on the same port. A port from
 * {@link freePorts} comes from the ephemeral range, so while its server is down (a host killed and
 * not yet restarted) the kernel may hand it to an outgoing connection, and the restart fails. Ports
 * below the range are never used as source ports.
 *
 * @param pick - chooses a candidate in [min, max] (a seeded PRNG keeps runs reproducible).
 */
export async function stablePort(pick: (min: number, max: number) => number): Promise<number> {
  const { low } = ephemeralRange();
  const min = 20_000;
  const max = Math.max(min + 100, low - 1);
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = pick(min, max);
    if (await isPortFree(port)) return port;
  }
  throw new Error(`No free port found between ${min} and ${max} after 200 attempts.`);
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
