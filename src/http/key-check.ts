import { createHash } from 'node:crypto';

/** The function-level endpoint whose only job is to let the Functions host validate a key. */
export const KEY_CHECK_ROUTE = 'auth/key-check';

const POSITIVE_TTL_MS = 5 * 60_000;
const NEGATIVE_TTL_MS = 10_000;
/** Enough for every key an app has; a flood of made-up keys cannot grow the cache past it. */
const MAX_CACHED_KEYS = 1000;
const FUNCTION_KEY_PATTERN = /^[\x21-\x7e]{1,512}$/;

/**
 * Validates a function key the way the platform does, by asking the Functions host: a request with
 * the key to a function-level endpoint of this very app succeeds only if the host accepts the key.
 * The app never sees the host's keys, so this is how an anonymous route can also accept a key.
 * The base URL comes from `WEBSITE_HOSTNAME` (set by Azure and by the local host), never from the
 * request, so a client cannot point the check elsewhere. Results are cached by key hash, for at most
 * the last 1000 keys checked.
 */
export class FunctionKeyValidator {
  readonly #cache = new Map<string, { valid: boolean; expires: number }>();
  readonly #baseUrl: () => string | undefined;
  readonly #now: () => number;

  constructor(options: { baseUrl?: () => string | undefined; now?: () => number } = {}) {
    this.#baseUrl = options.baseUrl ?? defaultBaseUrl;
    this.#now = options.now ?? Date.now;
  }

  async isValid(key: string): Promise<boolean> {
    // Keys are printable ASCII; anything else (NUL, CR/LF, non-Latin-1) cannot be one, and would not
    // even fit in the header of the check request.
    if (!FUNCTION_KEY_PATTERN.test(key)) return false;
    const id = createHash('sha256').update(key).digest('base64');
    const cached = this.#cache.get(id);
    if (cached && cached.expires > this.#now()) return cached.valid;
    this.#cache.delete(id);
    const base = this.#baseUrl();
    if (!base) return false;
    const response = await fetch(`${base}/api/${KEY_CHECK_ROUTE}`, {
      headers: { 'x-functions-key': key },
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    const valid = response.status >= 200 && response.status < 300;
    // Maps keep insertion order: the first entry is the oldest check.
    if (this.#cache.size >= MAX_CACHED_KEYS) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(id, { valid, expires: this.#now() + (valid ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
    return valid;
  }
}

function defaultBaseUrl(): string | undefined {
  const host = process.env.WEBSITE_HOSTNAME;
  if (!host) return undefined;
  const local = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(:\d+)?$/i.test(host);
  return `${local ? 'http' : 'https'}://${host.replace(/^0\.0\.0\.0/, 'localhost')}`;
}
