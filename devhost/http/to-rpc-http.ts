import type { IncomingHttpHeaders } from 'node:http';
import type { RpcHttpData, RpcTypedData } from '../contracts';

/** What the front door knows about a request when it builds the worker's HTTP input. */
export interface RpcHttpSource {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  /** The body; omitted in streaming mode, where the body travels over the proxy. */
  body?: Buffer;
}

/** Node's header map as single strings with lower-cased names; repeated values joined like ASP.NET. */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return flat;
}

function nullable(map: Record<string, string>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, { value: v }]));
}

/**
 * A request's flattened headers and query, made once: an HTTP invocation in streaming mode needs
 * both for its `RpcHttp` and again for its trigger metadata, and the key check reads the headers
 * before (#16). Keyed by the request's own header map and URL, which the front door does not
 * change; callers must not change the maps they get either.
 */
const flatHeadersOf = new WeakMap<IncomingHttpHeaders, Record<string, string>>();
const queriesOf = new WeakMap<URL, Record<string, string>>();

/**
 * {@link flattenHeaders} of a request's own header map, made once per request: the front door
 * reads the key from it and builds the invocation's `RpcHttp` and trigger metadata from it.
 */
export function requestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  let flat = flatHeadersOf.get(headers);
  if (flat === undefined) flatHeadersOf.set(headers, (flat = flattenHeaders(headers)));
  return flat;
}

function requestQuery(url: URL): Record<string, string> {
  let query = queriesOf.get(url);
  if (query === undefined) queriesOf.set(url, (query = queryOf(url)));
  return query;
}

/** Query values joined per key like ASP.NET's StringValues; empty values left out as the host does. */
function queryOf(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  if (url.search === '') return query;
  for (const key of new Set(url.searchParams.keys())) {
    const value = url.searchParams.getAll(key).join(',');
    if (value !== '') query[key] = value;
  }
  return query;
}

/**
 * Builds the `RpcHttpData` the Functions host sends for an HTTP trigger: absolute URL with the
 * query, upper-case method, lower-cased headers (empty values left out), route params, non-empty
 * query values, the body as bytes when there is one (RawHttpBodyBytes), and the nullable maps that
 * newer hosts add (the library prefers them when they are not empty).
 */
export function toRpcHttp(source: RpcHttpSource): RpcHttpData {
  const headers = Object.fromEntries(
    Object.entries(requestHeaders(source.headers)).filter(([, value]) => value !== ''),
  );
  const query = requestQuery(source.url);
  const http: RpcHttpData = {
    method: source.method.toUpperCase(),
    url: source.url.href,
    headers,
    params: source.params,
    query,
    nullableHeaders: nullable(headers),
    nullableParams: nullable(source.params),
    nullableQuery: nullable(query),
  };
  if (source.body && source.body.length > 0) http.body = { bytes: source.body };
  return http;
}

/**
 * The trigger metadata the host sends with an HTTP invocation; the library reads it in streaming
 * mode (headers from `Headers`, `request.params` from every other string entry). As the HTTP
 * binding's binding data does, it holds each non-empty query value and then the route values (a
 * route value wins over a query value of the same name), so a streaming function finds query
 * values in `request.params` as it does in Azure.
 */
export function httpTriggerMetadata(source: RpcHttpSource): Record<string, RpcTypedData> {
  const query = requestQuery(source.url);
  const metadata: Record<string, RpcTypedData> = {};
  for (const [name, value] of Object.entries(query)) metadata[name] = { string: value };
  for (const [name, value] of Object.entries(source.params)) metadata[name] = { string: value };
  metadata.Headers = { json: JSON.stringify(requestHeaders(source.headers)) };
  metadata.Query = { json: JSON.stringify(query) };
  return metadata;
}
