import type { RouteParameter, RouteSegment, RouteTemplate } from './route-template';

/**
 * Decodes one path segment as Kestrel does: percent-escapes are decoded except `%2F`, which stays
 * escaped so that a value can never introduce a new segment. Malformed escapes are kept as written.
 */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment.replace(/%2F/gi, '%252F'));
  } catch {
    return segment;
  }
}

function accepts(parameter: RouteParameter, value: string): boolean {
  return parameter.constraints.every((constraint) => constraint(value));
}

/** Matches one segment; returns the values it captured, or undefined. */
function matchSegment(segment: RouteSegment, value: string): Record<string, string> | undefined {
  const [only] = segment.parts;
  if (!segment.pattern) {
    if (!only) return undefined;
    if (only.kind === 'literal') return only.text.toLowerCase() === value.toLowerCase() ? {} : undefined;
    return value !== '' && accepts(only, value) ? { [only.name]: value } : undefined;
  }
  const match = segment.pattern.exec(value);
  if (!match) return undefined;
  const values: Record<string, string> = {};
  let group = 1;
  for (const part of segment.parts) {
    if (part.kind !== 'parameter') continue;
    const captured = match[group++] ?? '';
    const resolved = captured === '' ? part.defaultValue : captured;
    if (resolved === undefined) continue;
    if (!accepts(part, resolved)) return undefined;
    values[part.name] = resolved;
  }
  return values;
}

/** What a segment left unmatched at the end of the path contributes: a default, nothing, or a miss. */
function trailingValues(segment: RouteSegment): Record<string, string> | undefined {
  const [only] = segment.parts;
  if (segment.parts.length !== 1 || only?.kind !== 'parameter') return undefined;
  if (only.defaultValue !== undefined) return { [only.name]: only.defaultValue };
  return only.optional || only.catchAll ? {} : undefined;
}

/**
 * Matches decoded path segments (the part after the route prefix) against a template. Returns the
 * route values, or undefined when the path does not match. Optional parameters that got no value
 * are left out, as the Functions host leaves null route values out of the request's params.
 */
export function matchRoute(template: RouteTemplate, path: string[]): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  for (let i = 0; i < template.segments.length; i++) {
    const segment = template.segments[i];
    if (!segment) return undefined;
    const [only] = segment.parts;
    if (only?.kind === 'parameter' && only.catchAll) {
      const rest = path.slice(i).join('/');
      const value = rest === '' ? only.defaultValue : rest;
      if (value !== undefined) {
        if (!accepts(only, value)) return undefined;
        values[only.name] = value;
      }
      return values;
    }
    const value = path[i];
    const captured = value === undefined ? trailingValues(segment) : matchSegment(segment, value);
    if (!captured) return undefined;
    Object.assign(values, captured);
  }
  return path.length <= template.segments.length ? values : undefined;
}
