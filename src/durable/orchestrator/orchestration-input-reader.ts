/**
 * Reads the orchestration input once per execution, not once per episode. Every episode of an
 * orchestration is handed the same input (Durable replays the execution from its `ExecutionStarted`
 * event), so the schema's verdict and result for an instance repeat until the instance continues
 * as new; only the first episode of an execution needs to parse. Parses are remembered by the
 * input's JSON (which names the run), so an episode reuses one only for exactly the same input, also
 * when a worker interleaves episodes of several executions. Pure: what it returns depends only on
 * `raw`.
 */
import { OrchestrationInputSchema, type OrchestrationInput } from '../wire/orchestration-input';
import type { z } from 'zod';

/** Inputs remembered (about 3 KB each); an episode beyond them only costs a parse. */
const REMEMBERED_INPUTS = 512;

type ParseResult = z.ZodSafeParseResult<OrchestrationInput>;

/** A bounded memo of parses by input JSON (insertion order is recency: a hit moves to the end). */
export class OrchestrationInputReader {
  readonly #parsed = new Map<string, ParseResult>();
  readonly #capacity: number;

  constructor(capacity = REMEMBERED_INPUTS) {
    this.#capacity = capacity;
  }

  /**
   * The input parsed with {@link OrchestrationInputSchema}, as `safeParse` answers. The data is
   * shared by every episode of the execution that is handed the same input: callers never mutate it.
   */
  read(raw: unknown): ParseResult {
    const json = JSON.stringify(raw) ?? '';
    const known = this.#parsed.get(json);
    if (known) {
      this.#parsed.delete(json);
      this.#parsed.set(json, known);
      return known;
    }
    const result = OrchestrationInputSchema.safeParse(raw);
    this.#parsed.set(json, result);
    if (this.#parsed.size > this.#capacity) {
      const oldest = this.#parsed.keys().next();
      if (!oldest.done) this.#parsed.delete(oldest.value);
    }
    return result;
  }
}
