import { isIP, isIPv4 } from 'node:net';
import type { HttpRequest } from '@azure/functions';

/**
 * The address a start is counted against, from `X-Forwarded-For` as far as it can be trusted.
 *
 * An Azure Functions app never sees the client's socket: Azure's front end connects to it and
 * appends the address it saw to `X-Forwarded-For` (as `ip:port`); whatever the client wrote in the
 * header comes before that entry and proves nothing. So the entry `hops` places from the right is
 * the one a trusted proxy wrote: 1 for the front end alone, 2 behind Azure Front Door or an
 * Application Gateway (which writes the client's address, then the front end appends the proxy's).
 * With `hops` 0 the header is not trusted at all and every caller is one client (`direct`).
 *
 * IPv6 addresses count by their /64 prefix: one subscriber usually holds a whole /64, and counting
 * each address would let them start without limit.
 */
export function clientAddress(request: HttpRequest, hops: number): string {
  if (hops === 0) return 'direct';
  const entries = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const entry = entries[entries.length - hops];
  if (entry === undefined) return 'unknown';
  const ip = withoutPort(entry);
  if (isIPv4(ip)) return ip;
  if (isIP(ip) === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
    return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
  }
  return 'unknown';
}

function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(entry);
  return v4WithPort ? v4WithPort[1]! : entry;
}

/** The eight 16-bit groups of an IPv6 address (no zone, no embedded IPv4 beyond the mapped form). */
function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16).toString(16));
}
