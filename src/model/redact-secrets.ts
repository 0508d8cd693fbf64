/**
 * Scrubs secrets from text that came from elsewhere (a server's error message) before it goes into
 * one of our errors or logs. Servers do echo keys: OpenAI's 401 quotes the start and end of the key.
 */

const REDACTED = '[redacted]';

/** Key-shaped and token-shaped substrings, whoever they belong to. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_*-]{4,}/g, // OpenAI-style keys, masked or not
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, // bearer tokens
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9._-]+/g, // JWTs (Entra ID tokens)
];

/**
 * `text` with every known secret value and every key- or token-shaped substring replaced by
 * `[redacted]`.
 *
 * @param secrets - exact values to remove (e.g. the configured API key); values shorter than 4
 *   characters are ignored so that a one-letter "key" does not shred the message.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, REDACTED);
  return result;
}
