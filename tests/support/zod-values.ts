/**
 * Values generated from a zod schema's own definition, for property tests of code that reads the
 * same shape another way (hand readers that take a fast path on the usual shape): because the
 * values follow the schema, a field added to the schema, or a check made stricter, shows up in
 * them whether or not the other reader was changed too.
 *
 * Most values fit the schema; some are broken on purpose at one place (a wrong type, a null, a
 * number out of range) and some carry fields the schema does not know, so both acceptance and
 * rejection are compared. A schema construct the generator does not know fails loudly: extend the
 * generator rather than let a part of the schema go untested.
 */
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import type { Prng } from './prng';

/** How values are generated. */
export interface ZodValueOptions {
  /** Chance that a node is replaced by a value of a wrong kind; 0.03 by default. */
  breakChance?: number;
  /** Chance that an object gets keys the schema does not name; 0.3 by default. */
  extraKeyChance?: number;
  /** Depth past which arrays are empty (recursive schemas end); 4 by default. */
  maxDepth?: number;
  /**
   * Strings offered, beside the usual ones, for a string with a pattern (zod's `regex` check): the
   * generator cannot write a match for any pattern, so give some that match and some that nearly do.
   */
  patternSamples?: readonly string[];
}

/** What the generator reads of a schema's definition (zod 4's `_zod.def`). */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string | number>;
  options?: readonly z.ZodType[];
  values?: readonly unknown[];
  getter?: () => z.ZodType;
  checks?: readonly { _zod: { def: CheckDef } }[];
}

interface CheckDef {
  check: string;
  format?: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  pattern?: RegExp;
}

const WRONG: readonly unknown[] = [null, undefined, 'x', '', 0, -1, 1.5, Number.NaN, true, {}, [], [1]];
const STRINGS: readonly string[] = ['', 'a', 'chatcmpl-1', 'Grüße 🙂', 'stop', 'x'.repeat(40), ' 7 '];
const JSON_VALUES: readonly unknown[] = [null, 0, 3, -2.5, 'text', true, {}, { a: 1 }, [], ['b', 2]];
const EXTRA_KEYS: readonly string[] = ['object', 'created', 'model', 'logprobs', 'x_extra', 'role'];

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/**
 * One value for `schema`.
 *
 * @example
 * const random = mulberry32(seed);
 * const value = zodValue(ChatCompletionChunkSchema, random);
 */
export function zodValue(schema: z.ZodType, random: Prng, options: ZodValueOptions = {}): unknown {
  const settings = {
    breakChance: options.breakChance ?? 0.03,
    extraKeyChance: options.extraKeyChance ?? 0.3,
    maxDepth: options.maxDepth ?? 4,
    patternSamples: options.patternSamples ?? [],
  };
  return generate(schema, random, settings, 0);
}

function generate(
  schema: z.ZodType,
  random: Prng,
  settings: Required<ZodValueOptions>,
  depth: number,
): unknown {
  if (random.next() < settings.breakChance) return random.pick(WRONG);
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        const optional = defOf(field).type === 'optional';
        if (optional && random.next() < 0.3) continue;
        out[key] = generate(field, random, settings, depth + 1);
      }
      if (random.next() < settings.extraKeyChance) {
        out[random.pick(EXTRA_KEYS)] = random.pick(JSON_VALUES);
      }
      return out;
    }
    case 'array': {
      const length = depth >= settings.maxDepth ? 0 : random.int(0, 3);
      return Array.from({ length }, () => generate(def.element!, random, settings, depth + 1));
    }
    case 'optional':
      return random.next() < 0.2 ? undefined : generate(def.innerType!, random, settings, depth);
    case 'nullable':
      return random.next() < 0.2 ? null : generate(def.innerType!, random, settings, depth);
    case 'lazy':
      // zod keeps the getter's schema once built; calling the getter builds it anew each time.
      return generate(
        (schema as unknown as { _zod: { innerType?: z.ZodType } })._zod.innerType ?? def.getter!(),
        random,
        settings,
        depth,
      );
    case 'record': {
      const size = depth >= settings.maxDepth ? 0 : random.int(0, 3);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < size; i += 1) {
        const key = String(generate(def.keyType!, random, { ...settings, breakChance: 0 }, depth + 1));
        out[key] = generate(def.valueType!, random, settings, depth + 1);
      }
      return out;
    }
    case 'union':
      return generate(random.pick(def.options!), random, settings, depth);
    case 'literal':
      return random.pick(def.values!);
    case 'enum':
      // Now and then a string next to the allowed ones.
      return random.next() < 0.05 ? 'x' : random.pick(Object.values(def.entries!));
    case 'null':
      return null;
    case 'string':
      return stringFor(def, random, settings.patternSamples);
    case 'number':
      return numberFor(def, random);
    case 'boolean':
      return random.next() < 0.5;
    case 'unknown':
    case 'any':
      return random.pick(JSON_VALUES);
    default:
      throw new Error(
        `zod-values cannot generate a '${def.type}' schema yet; extend tests/support/zod-values.ts.`,
      );
  }
}

function stringFor(def: Def, random: Prng, patternSamples: readonly string[]): string {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  let patterned = false;
  for (const { _zod } of def.checks ?? []) {
    const check = _zod.def;
    if (check.check === 'min_length') min = check.minimum ?? 0;
    else if (check.check === 'max_length') max = check.maximum ?? max;
    else if (check.check === 'string_format' && check.format === 'regex') patterned = true;
    else throw new Error(`zod-values cannot generate a string with the '${check.check}' check yet.`);
  }
  if (patterned) {
    if (patternSamples.length === 0) {
      throw new Error('zod-values needs patternSamples for a string with a pattern (regex check).');
    }
    return random.next() < 0.8 ? random.pick(patternSamples) : random.pick(STRINGS);
  }
  const value = random.pick(STRINGS);
  if (max < Number.POSITIVE_INFINITY) {
    // Around the maximum: at it, or one character past it.
    return random.next() < 0.5 ? value.slice(0, max) : 'z'.repeat(max + random.int(0, 1));
  }
  // Mostly long enough; now and then one character short, to check the minimum too.
  return value.length >= min || random.next() < 0.1 ? value : value.padEnd(min, 'y');
}

function numberFor(def: Def, random: Prng): number {
  let integer = false;
  let minimum = -1000;
  for (const { _zod } of def.checks ?? []) {
    const check = _zod.def;
    if (check.check === 'number_format' && (check.format === 'safeint' || check.format === 'int32')) {
      integer = true;
    } else if (check.check === 'greater_than' && check.value !== undefined) {
      minimum = check.inclusive === true ? check.value : check.value + (integer ? 1 : 0.001);
    } else {
      throw new Error(`zod-values cannot generate a number with the '${check.check}' check yet.`);
    }
  }
  // Now and then just past the bounds: below the minimum, or a fraction where an integer is due.
  const edge = random.next();
  if (edge < 0.04) return minimum - (integer ? 1 : 0.5);
  if (edge < 0.06 && integer) return minimum + 0.5;
  return minimum + random.int(0, 1000) + (integer ? 0 : random.pick([0, 0.25, 0.5]));
}

/** Equal as JSON values are (an absent key and an undefined one alike, in any key order). */
export function equalAsJson(a: unknown, b: unknown): boolean {
  const json = (value: unknown): unknown =>
    value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
  return isDeepStrictEqual(json(a), json(b));
}
