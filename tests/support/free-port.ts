/**
 * Free ports for servers a test restarts on the same port.
 */
import fs from 'node:fs';
import net from 'node:net';

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

/** True when nothing listens on `port` on the loopback interface right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free loopback port below the ephemeral range. A port picked with `listen(0)` comes from the
 * ephemeral range, so while its server is down (a host killed and not yet restarted) the kernel may
 * hand it to an outgoing connection, and the restart on the same port fails. Ports below the range
 * are never used as source ports.
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
