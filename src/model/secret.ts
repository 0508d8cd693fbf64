/**
 * A secret setting (an API key) that cannot leak by accident.
 *
 * The value sits in a private field, so `JSON.stringify`, `console.log`, `util.inspect`, template
 * strings and error messages all render `[redacted]`. Only {@link Secret.reveal} returns it, and the
 * only caller is the code that hands it to the HTTP client.
 */
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/** An API key or other secret value; prints as `[redacted]` everywhere. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Call it only where the value is handed to a client, never to build a message. */
  reveal(): string {
    return this.#value;
  }

  /** Always `[redacted]`. */
  toString(): string {
    return REDACTED;
  }

  /** Always `[redacted]`, so a logged configuration object shows that a key is set but not which. */
  toJSON(): string {
    return REDACTED;
  }

  /** Always `[redacted]` in `console.log` and `util.inspect`. */
  [inspect.custom](): string {
    return REDACTED;
  }
}
