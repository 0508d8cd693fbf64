import { createHash } from 'node:crypto';

/** The function-level endpoint whose only job is to let the Functions host validate a key. */
export const KEY_CHECK_ROUTE = 'auth/key-check';

const POSITIVE_TTL_MS = 5 * 60_000;
const NEGATIVE_TTL_MS = 60_000;
/**
 * Keys the cache does not know are checked with the host at most this often: a burst of 10, then one
 * a second. A caller trying made-up keys costs the app a cache lookup each, not a request to itself;
 * past the budget an unknown key is refused unchecked (a real key was most likely checked before and
 * is cached for 5 minutes; if not, its holder is refused for a second or so and tries again).
 */
const CHECK_BURST = 10;
const CHECKS_PER_SECOND = 1;
/** Enough for every key an app has; a flood of made-up keys cannot grow the cache past it. */
const MAX_CACHED_KEYS = 1000;
/** The host answers a key check from memory; one that takes longer is not worth waiting for. */
const CHECK_TIMEOUT_MS = 5000;
const FUNCTION_KEY_PATTERN = /^[\x21-\x7e]{1,512}$/;

/** What {@link FunctionKeyValidator} needs. */
export interface FunctionKeyValidatorOptions {
  /** The app's own origin, e.g. `https://my-app.azurewebsites.net`; undefined when unknown (no key is then valid). */
  baseUrl: () => string | undefined;
  /** The app's HTTP route prefix (`api`, or `''` for none). */
  routePrefix: string;
  now?: () => number;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Host checks of keys the cache does not know: a burst, then so many a second (default 10, then 1). */
  checkBudget?: { burst: number; perSecond: number };
}

/**
 * Validates a function key the way the platform does, by asking the Functions host: a request with
 * the key to a function-level endpoint of this very app succeeds only if the host accepts the key.
 * The app never sees the host's keys (in Azure they are kept encrypted by the platform), so this is
 * how an anonymous, token-protected route can also accept a key.
 *
 * Cheap and bounded: the base URL comes from `WEBSITE_HOSTNAME` (never from the request, so a client
 * cannot point the check elsewhere); answers are cached by key hash (5 minutes for a valid key, 60 s
 * for an invalid one, at most 1000 keys); concurrent checks of one key share one request; keys not
 * in the cache are checked at most 10 at once and then one a second (past that they are refused
 * unchecked); a check gives up after 5 s (the key then counts as invalid and the caller can try again).
 */
export class FunctionKeyValidator {
  readonly #cache = new Map<string, { valid: boolean; expires: number }>();
  readonly #inFlight = new Map<string, Promise<boolean>>();
  readonly #options: FunctionKeyValidatorOptions;
  readonly #now: () => number;
  readonly #burst: number;
  readonly #perSecond: number;
  #budget: number;
  #budgetAt = 0;

  constructor(options: FunctionKeyValidatorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#burst = options.checkBudget?.burst ?? CHECK_BURST;
    this.#perSecond = options.checkBudget?.perSecond ?? CHECKS_PER_SECOND;
    this.#budget = this.#burst;
  }

  async isValid(key: string): Promise<boolean> {
    // Keys are printable ASCII; anything else (NUL, CR/LF, non-Latin-1) cannot be one, and would not
    // even fit in the header of the check request.
    if (!FUNCTION_KEY_PATTERN.test(key)) return false;
    const id = createHash('sha256').update(key).digest('base64');
    const cached = this.#cache.get(id);
    if (cached && cached.expires > this.#now()) return cached.valid;
    this.#cache.delete(id);
    let check = this.#inFlight.get(id);
    if (!check) {
      if (!this.#spendBudget()) return false;
      check = this.#ask(id, key).finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, check);
    }
    return check;
  }

  /** Takes one host check from the budget; false when it is spent. */
  #spendBudget(): boolean {
    const now = this.#now();
    this.#budget = Math.min(this.#burst, this.#budget + ((now - this.#budgetAt) / 1000) * this.#perSecond);
    this.#budgetAt = now;
    if (this.#budget < 1) return false;
    this.#budget -= 1;
    return true;
  }

  async #ask(id: string, key: string): Promise<boolean> {
    const base = this.#options.baseUrl();
    if (!base) return false;
    const prefix = this.#options.routePrefix === '' ? '' : `/${this.#options.routePrefix}`;
    const send = this.#options.fetch ?? fetch;
    const response = await send(`${base}${prefix}/${KEY_CHECK_ROUTE}`, {
      headers: { 'x-functions-key': key },
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    const valid = response.status >= 200 && response.status < 300;
    // Maps keep insertion order: the first entry is the oldest check.
    if (this.#cache.size >= MAX_CACHED_KEYS) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(id, { valid, expires: this.#now() + (valid ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
    return valid;
  }
}

/**
 * The app's own origin from `WEBSITE_HOSTNAME` (set by Azure and by the local host): `https`, or
 * `http` for a loopback host.
 */
export function hostBaseUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const host = env.WEBSITE_HOSTNAME;
  if (!host) return undefined;
  const local = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(:\d+)?$/i.test(host);
  return `${local ? 'http' : 'https'}://${host.replace(/^0\.0\.0\.0/, 'localhost')}`;
}
