/**
 * Inline route constraints (`{id:int}`, `{name:alpha:minlength(2)}`), with the semantics of
 * ASP.NET Core's built-in constraints, which the Functions host uses for HTTP trigger routes.
 */

/** Tests one route value. */
export type RouteConstraint = (value: string) => boolean;

const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: -9223372036854775808n, max: 9223372036854775807n };
const integerPattern = /^[+-]?\d+$/;
const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// .NET's Guid.TryParse accepts the plain form (with or without hyphens) and a braced form.
const guidHyphens = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const guidPattern = new RegExp(
  `^(${guidHyphens}|[0-9a-f]{32}|\\{${guidHyphens}\\}|\\(${guidHyphens}\\))$`,
  'i',
);

function isInteger(value: string, range: { min: bigint; max: bigint }): boolean {
  if (!integerPattern.test(value)) return false;
  const n = BigInt(value);
  return n >= range.min && n <= range.max;
}

function numberArgs(name: string, args: string[], count: number): number[] {
  const numbers = args.map((arg) => Number(arg.trim()));
  if (args.length !== count || numbers.some((n) => !Number.isFinite(n))) {
    throw new RangeError(
      `the constraint "${name}" takes ${count} number argument(s), got (${args.join(',')})`,
    );
  }
  return numbers;
}

type ConstraintFactory = (args: string[]) => RouteConstraint;

function noArgs(name: string, test: RouteConstraint): ConstraintFactory {
  return (args) => {
    if (args.length > 0) throw new RangeError(`the constraint "${name}" takes no arguments`);
    return test;
  };
}

const factories: Record<string, ConstraintFactory> = {
  int: noArgs('int', (v) => isInteger(v, { min: BigInt(INT32.min), max: BigInt(INT32.max) })),
  long: noArgs('long', (v) => isInteger(v, INT64)),
  bool: noArgs('bool', (v) => /^(true|false)$/i.test(v)),
  datetime: noArgs('datetime', (v) => !Number.isNaN(Date.parse(v))),
  decimal: noArgs('decimal', (v) => numberPattern.test(v)),
  double: noArgs('double', (v) => numberPattern.test(v)),
  float: noArgs('float', (v) => numberPattern.test(v)),
  guid: noArgs('guid', (v) => guidPattern.test(v)),
  alpha: noArgs('alpha', (v) => /^[a-z]+$/i.test(v)),
  required: noArgs('required', (v) => v.length > 0),
  minlength: (args) => {
    const [min = 0] = numberArgs('minlength', args, 1);
    return (v) => v.length >= min;
  },
  maxlength: (args) => {
    const [max = 0] = numberArgs('maxlength', args, 1);
    return (v) => v.length <= max;
  },
  length: (args) => {
    if (args.length === 1) {
      const [exact = 0] = numberArgs('length', args, 1);
      return (v) => v.length === exact;
    }
    const [min = 0, max = 0] = numberArgs('length', args, 2);
    return (v) => v.length >= min && v.length <= max;
  },
  min: (args) => {
    const [min = 0] = numberArgs('min', args, 1);
    return (v) => integerPattern.test(v) && Number(v) >= min;
  },
  max: (args) => {
    const [max = 0] = numberArgs('max', args, 1);
    return (v) => integerPattern.test(v) && Number(v) <= max;
  },
  range: (args) => {
    const [min = 0, max = 0] = numberArgs('range', args, 2);
    return (v) => integerPattern.test(v) && Number(v) >= min && Number(v) <= max;
  },
  regex: (args) => {
    // The argument is one pattern that may itself contain commas.
    const pattern = new RegExp(args.join(','), 'i');
    return (v) => pattern.test(v);
  },
};

/** The constraint names this host understands. */
export const SUPPORTED_CONSTRAINTS: readonly string[] = Object.keys(factories);

/**
 * Builds the constraint `name(args)`. Throws a RangeError naming the problem when the name is
 * unknown or the arguments do not fit; the caller adds the route and function to the message.
 */
export function createConstraint(name: string, args: string[]): RouteConstraint {
  const factory = factories[name.toLowerCase()];
  if (!factory) {
    throw new RangeError(`unknown constraint "${name}" (supported: ${SUPPORTED_CONSTRAINTS.join(', ')})`);
  }
  return factory(args);
}
