/**
 * Matches a management API path against the extension's route templates:
 * `orchestrators/{functionName}/{instanceId?}`, `entities/{entityName}/{entityKey?}`,
 * `instances/{instanceId?}/{operation?}` and `instances/{instanceId}/raiseEvent/{eventName}`.
 */

/** A matched route. */
export type ManagementRoute =
  | { kind: 'start'; functionName: string; instanceId?: string }
  | { kind: 'entities' }
  | { kind: 'instances' }
  | { kind: 'instance'; instanceId: string; operation?: string }
  | { kind: 'raiseEvent'; instanceId: string; eventName: string }
  | { kind: 'unknown' };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Parses `path` (what follows `/runtime/webhooks/durabletask/` or `/durabletask/`, percent-encoded
 * or not; a query string, if any, is ignored). Literal segments match case-insensitively.
 */
export function matchRoute(path: string): ManagementRoute {
  const clean = path.split('?')[0]!.replace(/^\/+|\/+$/g, '');
  const segments = clean === '' ? [] : clean.split('/').map(decode);
  const [head, a, b, c, ...rest] = segments;
  if (rest.length > 0 || head === undefined) return { kind: 'unknown' };
  switch (head.toLowerCase()) {
    case 'orchestrators':
      if (a === undefined || c !== undefined) return { kind: 'unknown' };
      return b === undefined
        ? { kind: 'start', functionName: a }
        : { kind: 'start', functionName: a, instanceId: b };
    case 'entities':
      return { kind: 'entities' };
    case 'instances':
      if (a === undefined) return { kind: 'instances' };
      if (c !== undefined) {
        return b?.toLowerCase() === 'raiseevent'
          ? { kind: 'raiseEvent', instanceId: a, eventName: c }
          : { kind: 'unknown' };
      }
      return b === undefined
        ? { kind: 'instance', instanceId: a }
        : { kind: 'instance', instanceId: a, operation: b };
    default:
      return { kind: 'unknown' };
  }
}
