/** At most this many buckets are kept; a flood of addresses cannot grow memory past it. */
const MAX_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/** What {@link StartLimiter.take} answers. */
export type StartAllowance =
  { allowed: true } | { allowed: false; scope: 'client' | 'workflow'; retryAfterSeconds: number };

/**
 * Limits anonymous run starts per client address and per workflow: token buckets that hold a
 * minute's allowance and refill continuously, so a client may start a burst of `perClient` runs and
 * then one every `60 / perClient` seconds. A limit of 0 is no limit.
 *
 * The buckets live in this instance's memory: a start costs no storage request, and the limits
 * hold per instance, so a scaled-out app with N instances admits up to N times as many. A hard
 * global limit belongs in front of the app (Azure Front Door or API Management rate limiting).
 */
export class StartLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perClient: number;
  readonly #perWorkflow: number;
  readonly #now: () => number;

  constructor(options: { perClient: number; perWorkflow: number; now?: () => number }) {
    this.#perClient = options.perClient;
    this.#perWorkflow = options.perWorkflow;
    this.#now = options.now ?? Date.now;
  }

  /** Takes one start for `client` and `workflow`, or says which limit refuses it and for how long. */
  take(client: string, workflow: string): StartAllowance {
    const now = this.#now();
    const clientKey = `client:${client}`;
    const workflowKey = `workflow:${workflow}`;
    const clientWait = this.#waitFor(clientKey, this.#perClient, now);
    if (clientWait > 0) return { allowed: false, scope: 'client', retryAfterSeconds: clientWait };
    const workflowWait = this.#waitFor(workflowKey, this.#perWorkflow, now);
    if (workflowWait > 0) return { allowed: false, scope: 'workflow', retryAfterSeconds: workflowWait };
    this.#spend(clientKey, this.#perClient, now);
    this.#spend(workflowKey, this.#perWorkflow, now);
    return { allowed: true };
  }

  /** Seconds until `key` has a whole token again (0: it has one now). */
  #waitFor(key: string, perMinute: number, now: number): number {
    if (perMinute === 0) return 0;
    const tokens = this.#tokens(key, perMinute, now);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - tokens) * 60) / perMinute));
  }

  #spend(key: string, perMinute: number, now: number): void {
    if (perMinute === 0) return;
    const tokens = this.#tokens(key, perMinute, now) - 1;
    this.#buckets.delete(key); // re-inserted last: the map's first entry is the least recently used
    if (this.#buckets.size >= MAX_BUCKETS) this.#buckets.delete(this.#buckets.keys().next().value!);
    this.#buckets.set(key, { tokens, at: now });
  }

  #tokens(key: string, perMinute: number, now: number): number {
    const bucket = this.#buckets.get(key);
    if (!bucket) return perMinute;
    return Math.min(perMinute, bucket.tokens + ((now - bucket.at) * perMinute) / 60_000);
  }
}
