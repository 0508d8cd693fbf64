import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

const known = new Map<string, LookupAddress[]>();

/**
 * A `lookup` for `http.request` that asks the resolver once per name (and address family) and
 * answers from memory after that. For the library's own proxy address (`localhost`), which the
 * host calls on every HTTP invocation: a lookup per request showed up in the host's CPU profiles.
 */
export const lookupOnce: LookupFunction = (hostname, options: LookupOptions, callback) => {
  const key = `${options.family ?? 0}/${hostname}`;
  const answer = (addresses: LookupAddress[]): void => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const cached = known.get(key);
  if (cached !== undefined) {
    process.nextTick(answer, cached);
    return;
  }
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    known.set(key, addresses);
    answer(addresses);
  });
};
