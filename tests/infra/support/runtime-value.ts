/**
 * Values only Azure knows at deployment time (an identity's client id, a storage endpoint) and
 * calls that would read secrets (`listKeys`), kept symbolic by the template evaluator so the policy
 * tests can tell which resource a setting or a role assignment points at.
 */

/** `reference(resourceId).path...`: a runtime property of one resource. */
export class RuntimeRef {
  constructor(
    readonly resourceId: string,
    readonly path: readonly string[] = [],
  ) {}

  /** The same reference, one property further. */
  get(name: string): RuntimeRef {
    return new RuntimeRef(this.resourceId, [...this.path, name]);
  }

  /** The property path as `a.b.c`. */
  get propertyPath(): string {
    return this.path.join('.');
  }

  toString(): string {
    return `⟦${this.resourceId}⟧${this.path.map((name) => `.${name}`).join('')}`;
  }
}

/** A `list*()` call (`listKeys`, `listSecrets`...): it returns keys or secrets at deployment time. */
export class ListCall {
  constructor(
    readonly functionName: string,
    readonly args: readonly unknown[],
  ) {}

  toString(): string {
    return `⟦${this.functionName}(${this.args.map(String).join(', ')})⟧`;
  }
}

/** Text of a value as `format()` and `concat()` see it. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof RuntimeRef || value instanceof ListCall) return value.toString();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/** Every string inside a value, runtime references rendered, for scanning settings and properties. */
export function stringsIn(value: unknown): string[] {
  if (value instanceof RuntimeRef || value instanceof ListCall) return [value.toString()];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
