/**
 * Route templates in the ASP.NET Core syntax that HTTP trigger routes use: literal segments,
 * `{name}`, optional `{name?}`, defaults `{name=value}`, catch-all `{*rest}` / `{**rest}`, inline
 * constraints `{id:int}`, and complex segments such as `{file}.{ext}`.
 */
import { createConstraint, type RouteConstraint } from './route-constraints';

/** A route parameter inside a segment. */
export interface RouteParameter {
  kind: 'parameter';
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: RouteConstraint[];
}

/** A literal run of characters inside a segment (matched case-insensitively). */
export interface RouteLiteral {
  kind: 'literal';
  text: string;
}

/** One `/`-separated segment of a template. */
export interface RouteSegment {
  parts: (RouteLiteral | RouteParameter)[];
  /** For segments with more than one part: the anchored pattern, one capture group per parameter. */
  pattern?: RegExp;
}

/** A parsed template. */
export interface RouteTemplate {
  /** The template text as written (after trimming slashes). */
  text: string;
  segments: RouteSegment[];
  /**
   * ASP.NET Core's inbound precedence as its digit string (one digit per segment: 1 literal,
   * 2 complex or constrained parameter, 3 parameter, 4 constrained catch-all, 5 catch-all).
   * Lower sorts first and is tried first; the digits compare like the decimal ASP.NET computes.
   */
  precedence: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits `int:min(1):regex(^a:b$)` at the colons that are not inside parentheses. */
function splitConstraints(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (char === ':' && depth === 0) {
      pieces.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  pieces.push(current);
  return pieces;
}

function parseParameter(body: string): RouteParameter {
  let rest = body;
  const catchAll = rest.startsWith('*');
  rest = rest.replace(/^\*{1,2}/, '');
  let defaultValue: string | undefined;
  let optional = false;
  const equals = rest.indexOf('=');
  if (equals >= 0 && !/[()]/.test(rest.slice(equals))) {
    defaultValue = rest.slice(equals + 1);
    rest = rest.slice(0, equals);
  } else if (rest.endsWith('?')) {
    optional = true;
    rest = rest.slice(0, -1);
  }
  const [name = '', ...constraintTexts] = splitConstraints(rest);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new RangeError(`"{${body}}" has an invalid parameter name "${name}"`);
  }
  const constraints = constraintTexts.map((text) => {
    const match = /^([A-Za-z]+)(?:\((.*)\))?$/s.exec(text);
    if (!match) throw new RangeError(`"{${body}}" has an invalid constraint "${text}"`);
    const args = match[2] === undefined ? [] : match[1] === 'regex' ? [match[2]] : match[2].split(',');
    return createConstraint(match[1] ?? '', args);
  });
  return {
    kind: 'parameter',
    name,
    optional,
    catchAll,
    ...(defaultValue === undefined ? {} : { defaultValue }),
    constraints,
  };
}

function parseSegment(text: string): RouteSegment {
  const parts: (RouteLiteral | RouteParameter)[] = [];
  let index = 0;
  let literal = '';
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '{' && text[index + 1] === '{') {
      literal += '{';
      index += 2;
    } else if (char === '}' && text[index + 1] === '}') {
      literal += '}';
      index += 2;
    } else if (char === '{') {
      const close = findClosingBrace(text, index);
      if (literal) parts.push({ kind: 'literal', text: literal });
      literal = '';
      parts.push(parseParameter(text.slice(index + 1, close)));
      index = close + 1;
    } else if (char === '}') {
      throw new RangeError(`segment "${text}" has an unmatched "}"`);
    } else {
      literal += char;
      index++;
    }
  }
  if (literal) parts.push({ kind: 'literal', text: literal });
  if (parts.length === 0) throw new RangeError('the template has an empty segment ("//")');
  for (let i = 1; i < parts.length; i++) {
    if (parts[i]?.kind === 'parameter' && parts[i - 1]?.kind === 'parameter') {
      throw new RangeError(`segment "${text}" has two parameters with no literal between them`);
    }
  }
  const params = parts.filter((p): p is RouteParameter => p.kind === 'parameter');
  if (parts.length > 1 && params.some((p) => p.catchAll)) {
    throw new RangeError(`a catch-all parameter must be a whole segment ("${text}")`);
  }
  if (parts.length === 1) return { parts };
  // Greedy groups: ASP.NET matches complex segments from the right, so earlier parameters take
  // the most they can ("{name}.{ext}" on "a.b.pdf" gives name "a.b", ext "pdf").
  const source = parts
    .map((part) => {
      if (part.kind === 'literal') return escapeRegExp(part.text);
      return part.optional || part.defaultValue !== undefined ? '(.*)' : '(.+)';
    })
    .join('');
  return { parts, pattern: new RegExp(`^${source}$`, 'i') };
}

function findClosingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth = Math.max(0, depth - 1);
    else if (text[i] === '}' && depth === 0) return i;
  }
  throw new RangeError(`"${text.slice(open)}" has no closing "}"`);
}

/** The digit ASP.NET Core gives a segment when computing inbound precedence. */
function precedenceDigit(segment: RouteSegment): number {
  const [part] = segment.parts;
  if (segment.parts.length > 1) return 2;
  if (!part || part.kind === 'literal') return 1;
  const digit = part.catchAll ? 5 : 3;
  return part.constraints.length > 0 ? digit - 1 : digit;
}

/**
 * Parses a route template. Throws a RangeError that says what is wrong; callers add the function
 * name. Rules as in ASP.NET Core: a catch-all must be the last segment, and an optional parameter
 * may be followed only by other optional (or catch-all) segments.
 */
export function parseRouteTemplate(template: string): RouteTemplate {
  const text = template.replace(/^~?\/+/, '').replace(/\/+$/, '');
  const segments = text === '' ? [] : text.split('/').map(parseSegment);
  segments.forEach((segment, i) => {
    const [part] = segment.parts;
    const isLast = i === segments.length - 1;
    if (part?.kind === 'parameter' && part.catchAll && !isLast) {
      throw new RangeError('a catch-all parameter must be the last segment');
    }
    const optionalHere = segment.parts.length === 1 && part?.kind === 'parameter' && part.optional;
    if (optionalHere) {
      const rest = segments.slice(i + 1);
      const restOptional = rest.every((s) => {
        const [p] = s.parts;
        return s.parts.length === 1 && p?.kind === 'parameter' && (p.optional || p.catchAll);
      });
      if (!restOptional) {
        throw new RangeError(`the optional parameter "${part.name}" is followed by a required segment`);
      }
    }
  });
  const names = segments.flatMap((s) => s.parts.flatMap((p) => (p.kind === 'parameter' ? [p.name] : [])));
  const duplicate = names.find(
    (name, i) => names.findIndex((n) => n.toLowerCase() === name.toLowerCase()) !== i,
  );
  if (duplicate) throw new RangeError(`the parameter "${duplicate}" appears twice`);
  const precedence = segments.map(precedenceDigit).join('');
  return { text, segments, precedence };
}
