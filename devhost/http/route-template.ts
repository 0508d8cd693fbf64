/**
 * HTTP trigger route templates, cut to what Functions apps write: literal segments, `{name}`,
 * an optional last `{name?}`, a catch-all last `{*rest}` (or `{**rest}`), and a type constraint
 * such as `{id:int}` or `{id:int?}`. Anything else of the ASP.NET Core syntax the Functions host
 * accepts (complex segments like `{file}.{ext}`, defaults, argument constraints like `range(1,9)`)
 * is refused with a message saying so, rather than emulated.
 */

/** A parameter segment. */
interface ParameterSegment {
  kind: 'parameter';
  name: string;
  optional: boolean;
  catchAll: boolean;
  constraint?: { name: string; test: (value: string) => boolean };
}

/** A literal segment; `lower` is its text lower-cased once, for the case-insensitive match of every request. */
type Segment = { kind: 'literal'; text: string; lower: string } | ParameterSegment;

/** A parsed template. */
export interface RouteTemplate {
  /** The template text as written (after trimming slashes). */
  text: string;
  segments: readonly Segment[];
  /**
   * ASP.NET Core's inbound precedence as a digit string, one digit per segment: 1 literal,
   * 2 constrained parameter, 3 parameter, 5 catch-all. Lower sorts first and is tried first.
   */
  precedence: string;
}

const guid = '[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}';
const number = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function integerIn(bits: 32n | 64n): (value: string) => boolean {
  const max = 2n ** (bits - 1n) - 1n;
  return (value) => /^[+-]?\d+$/.test(value) && BigInt(value) >= -max - 1n && BigInt(value) <= max;
}

/** The type constraints, with the semantics of ASP.NET Core's, which the Functions host applies. */
const CONSTRAINTS: Readonly<Record<string, (value: string) => boolean>> = {
  int: integerIn(32n),
  long: integerIn(64n),
  bool: (value) => /^(true|false)$/i.test(value),
  guid: (value) => new RegExp(`^(${guid}|\\{${guid}\\}|\\(${guid}\\))$`, 'i').test(value),
  alpha: (value) => /^[a-z]+$/i.test(value),
  decimal: (value) => number.test(value),
  double: (value) => number.test(value),
  float: (value) => number.test(value),
  datetime: (value) => !Number.isNaN(Date.parse(value)),
};

function parseSegment(text: string): Segment {
  if (!text.includes('{') && !text.includes('}')) return { kind: 'literal', text, lower: text.toLowerCase() };
  const match = /^\{(\*{1,2})?([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?(\?)?\}$/.exec(text);
  if (!match) {
    throw new RangeError(
      `the segment "${text}" is not one the local host supports: use a literal, {name}, {name?}, ` +
        `{name:type} or a last {*rest} (complex segments, defaults and constraints with arguments are not emulated)`,
    );
  }
  const [, star, name = '', constraint, optional] = match;
  const parameter: ParameterSegment = {
    kind: 'parameter',
    name,
    optional: optional !== undefined,
    catchAll: star !== undefined,
  };
  if (constraint === undefined) return parameter;
  const test = CONSTRAINTS[constraint.toLowerCase()];
  if (!test) {
    throw new RangeError(
      `unknown constraint "${constraint}" (supported: ${Object.keys(CONSTRAINTS).join(', ')})`,
    );
  }
  return { ...parameter, constraint: { name: constraint, test } };
}

function precedenceDigit(segment: Segment): number {
  if (segment.kind === 'literal') return 1;
  if (segment.catchAll) return 5;
  return segment.constraint ? 2 : 3;
}

/**
 * Parses a route template. Throws a RangeError that says what is wrong; callers add the function
 * name. As in ASP.NET Core, a catch-all and an optional parameter must be the last segment.
 */
export function parseRouteTemplate(template: string): RouteTemplate {
  const text = template.replace(/^~?\/+/, '').replace(/\/+$/, '');
  if (text.includes('//')) throw new RangeError('the template has an empty segment ("//")');
  const segments = text === '' ? [] : text.split('/').map(parseSegment);
  segments.forEach((segment, i) => {
    if (segment.kind !== 'parameter' || i === segments.length - 1) return;
    if (segment.catchAll) throw new RangeError('a catch-all parameter must be the last segment');
    if (segment.optional) {
      throw new RangeError(`the optional parameter "${segment.name}" is followed by a required segment`);
    }
  });
  const names = segments.flatMap((segment) =>
    segment.kind === 'parameter' ? [segment.name.toLowerCase()] : [],
  );
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new RangeError(`the parameter "${duplicate}" appears twice`);
  return { text, segments, precedence: segments.map(precedenceDigit).join('') };
}

/**
 * Decodes one path segment as Kestrel does: percent-escapes are decoded except `%2F`, which stays
 * escaped so that a value can never introduce a new segment. Malformed escapes are kept as written.
 */
export function decodePathSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment.replace(/%2F/gi, '%252F'));
  } catch {
    return segment;
  }
}

/**
 * Matches decoded path segments (the part after the route prefix) against a template. Returns the
 * route values, or undefined when the path does not match. An optional parameter that got no value
 * is left out, as the Functions host leaves null route values out of the request's params.
 * `lowerPath` is `path` lower-cased, when the caller tries several templates on one path.
 */
export function matchRoute(
  template: RouteTemplate,
  path: readonly string[],
  lowerPath: readonly string[] = path.map((segment) => segment.toLowerCase()),
): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  const segments = template.segments;
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    if (segment.kind === 'parameter' && segment.catchAll) {
      const rest = path.slice(i).join('/');
      if (rest === '') return values;
      if (segment.constraint && !segment.constraint.test(rest)) return undefined;
      return { ...values, [segment.name]: rest };
    }
    const value = path[i];
    if (value === undefined) return segment.kind === 'parameter' && segment.optional ? values : undefined;
    if (segment.kind === 'literal') {
      if (segment.lower !== lowerPath[i]) return undefined;
      continue;
    }
    if (value === '' || (segment.constraint && !segment.constraint.test(value))) return undefined;
    values[segment.name] = value;
  }
  return path.length <= template.segments.length ? values : undefined;
}
