import { z } from 'zod';
import type { RegisteredFunction } from '../contracts';
import { DevhostError } from '../errors';
import type { LogSink } from '../log';
import { decodePathSegment, matchRoute, parseRouteTemplate, type RouteTemplate } from './route-template';

/** Authorization levels of HTTP triggers. `system` is accepted and treated like `admin` here. */
export const AUTH_LEVELS = ['anonymous', 'function', 'admin', 'system'] as const;
/** An HTTP trigger's authorization level. */
export type AuthLevel = (typeof AUTH_LEVELS)[number];

/** One HTTP trigger as the front door serves it. */
export interface HttpRoute {
  functionName: string;
  triggerBindingName: string;
  /** Upper-case methods, or undefined when the trigger accepts every method. */
  methods: readonly string[] | undefined;
  authLevel: AuthLevel;
  template: RouteTemplate;
  /** The path as users write it, prefix included, e.g. `/api/orders/{id:int}`. */
  path: string;
}

/** A matched request: the route and its route values. */
export interface RouteMatch {
  route: HttpRoute;
  params: Record<string, string>;
}

/** The HTTP trigger routes of an app, in the order they are tried. */
export interface RouteTable {
  readonly routes: readonly HttpRoute[];
  /** The route for `method` and the request path (still percent-encoded), or undefined (404). */
  match(method: string, pathname: string): RouteMatch | undefined;
}

const httpTriggerOptions = z.object({
  route: z.string().optional().nullable(),
  methods: z.array(z.string()).optional().nullable(),
  authLevel: z.string().optional().nullable(),
});

function toAuthLevel(fn: RegisteredFunction, value: string | null | undefined): AuthLevel {
  // The Functions host's default when a trigger names no level.
  if (value === undefined || value === null) return 'function';
  const level = AUTH_LEVELS.find((l) => l === value.toLowerCase());
  if (!level) {
    throw new DevhostError(
      'invalid_route',
      `Function "${fn.name}" has authLevel "${value}". Allowed: ${AUTH_LEVELS.join(', ')}.`,
    );
  }
  return level;
}

function toRoute(fn: RegisteredFunction, prefixSegments: string[]): HttpRoute {
  const parsed = httpTriggerOptions.safeParse(fn.bindings[fn.triggerBindingName]);
  if (!parsed.success) {
    throw new DevhostError(
      'invalid_route',
      `Function "${fn.name}" has an invalid httpTrigger binding: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
    );
  }
  const routeText = parsed.data.route ?? fn.name;
  let template: RouteTemplate;
  try {
    template = parseRouteTemplate(routeText);
  } catch (error) {
    throw new DevhostError(
      'invalid_route',
      `Function "${fn.name}" has the route "${routeText}", which is not a valid route template: ${(error as Error).message}.`,
      { cause: error },
    );
  }
  const methods = parsed.data.methods?.length ? parsed.data.methods.map((m) => m.toUpperCase()) : undefined;
  return {
    functionName: fn.name,
    triggerBindingName: fn.triggerBindingName,
    methods,
    authLevel: toAuthLevel(fn, parsed.data.authLevel),
    template,
    path: '/' + [...prefixSegments, template.text].filter((s) => s !== '').join('/'),
  };
}

/** Templates conflict when their text is equal ignoring case, as the host compares them. */
function shapeOf(template: RouteTemplate): string {
  return template.text.toLowerCase();
}

function methodsOverlap(a: HttpRoute, b: HttpRoute): boolean {
  if (!a.methods || !b.methods) return true;
  return a.methods.some((m) => b.methods?.includes(m));
}

/**
 * Builds the route table from the app's httpTrigger functions. `routePrefix` is host.json's
 * `extensions.http.routePrefix` (`api` by default, empty allowed).
 *
 * Routes are tried in ASP.NET Core precedence order (literal segments before parameters, constrained
 * parameters before plain ones, catch-alls last), ties by function name. Azure's host tries routes in
 * function-name order instead (azure-functions-host#9876), so an app whose routes overlap may pick a
 * different function there. A route whose template (ignoring case) and methods duplicate an earlier one is left out
 * with an error log, as the Functions host puts such a function "in error".
 */
export function buildRouteTable(
  functions: readonly RegisteredFunction[],
  routePrefix: string,
  log: LogSink,
): RouteTable {
  const prefixSegments = routePrefix.split('/').filter((s) => s !== '');
  const routes: HttpRoute[] = [];
  for (const fn of functions) {
    if (fn.triggerType.toLowerCase() !== 'httptrigger') continue;
    const route = toRoute(fn, prefixSegments);
    const clash = routes.find(
      (r) => shapeOf(r.template) === shapeOf(route.template) && methodsOverlap(r, route),
    );
    if (clash) {
      log({
        level: 'error',
        category: 'system',
        message: `The '${fn.name}' function is in error: The route specified conflicts with the route defined by function '${clash.functionName}'.`,
      });
      continue;
    }
    routes.push(route);
  }
  routes.sort(
    (a, b) =>
      (a.template.precedence < b.template.precedence
        ? -1
        : a.template.precedence > b.template.precedence
          ? 1
          : 0) || a.functionName.toLowerCase().localeCompare(b.functionName.toLowerCase()),
  );

  const lowerPrefix = prefixSegments.map((s) => s.toLowerCase());
  return {
    routes,
    match(method, pathname) {
      const segments = pathname
        .split('/')
        .filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
      if (segments.length < lowerPrefix.length) return undefined;
      if (lowerPrefix.some((p, i) => decodePathSegment(segments[i] ?? '').toLowerCase() !== p))
        return undefined;
      const rest = segments.slice(lowerPrefix.length).map(decodePathSegment);
      // Lower-cased once per request, not once per route tried.
      const lowerRest = rest.map((segment) => segment.toLowerCase());
      const upper = method.toUpperCase();
      for (const route of routes) {
        if (route.methods && !route.methods.includes(upper)) continue;
        const params = matchRoute(route.template, rest, lowerRest);
        if (params) return { route, params };
      }
      return undefined;
    },
  };
}
