/**
 * Reads the orchestration input once per execution, not once per episode. Every episode of an
 * orchestration is handed the same input (Durable replays the execution from its `ExecutionStarted`
 * event), so the schema's verdict and result for an instance repeat until the instance continues
 * as new; only the first episode of an execution needs to parse. The input is remembered per
 * instance with its JSON, which must match exactly for the parse to be reused: a new execution, or
 * another instance of the same id, parses again. Pure: what it returns depends only on `raw`.
 */
import { OrchestrationInputSchema, type OrchestrationInput } from '../wire/orchestration-input';
import type { z } from 'zod';

/** Instances remembered; an episode beyond them only costs a parse. */
const REMEMBERED_INSTANCES = 512;

type ParseResult = z.ZodSafeParseResult<OrchestrationInput>;

/** A bounded memo of the last parse per instance id (insertion order is recency: a hit moves to the end). */
export class OrchestrationInputReader {
  readonly #parsed = new Map<string, { json: string; result: ParseResult }>();
  readonly #capacity: number;

  constructor(capacity = REMEMBERED_INSTANCES) {
    this.#capacity = capacity;
  }

  /**
   * The input parsed with {@link OrchestrationInputSchema}, as `safeParse` answers. The data is
   * shared by every episode of the execution that is handed the same input: callers never mutate it.
   */
  read(instanceId: string, raw: unknown): ParseResult {
    const json = JSON.stringify(raw) ?? '';
    const known = this.#parsed.get(instanceId);
    if (known?.json === json) {
      this.#parsed.delete(instanceId);
      this.#parsed.set(instanceId, known);
      return known.result;
    }
    const result = OrchestrationInputSchema.safeParse(raw);
    this.#parsed.delete(instanceId);
    this.#parsed.set(instanceId, { json, result });
    if (this.#parsed.size > this.#capacity) {
      const oldest = this.#parsed.keys().next();
      if (!oldest.done) this.#parsed.delete(oldest.value);
    }
    return result;
  }
}
