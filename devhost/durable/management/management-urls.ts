/**
 * The management URLs the extension hands out: in the durableClient binding payload and in the
 * 202 "check status" response of a start (`HttpApiHandler.GetClientResponseLinks`).
 */

/** Path of the webhook API under the host's origin. */
export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
/** Path of the client RPC API (the binding's `rpcBaseUrl`) under the host's origin. */
export const RPC_PATH = '/durabletask/';
/** The connection name of the default storage connection. */
export const CONNECTION_NAME = 'Storage';

/** `WebUtility.UrlEncode`: form encoding (space as `+`), leaving only letters, digits and `-_.!*()`. */
export function webUtilityUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[~']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `code=<key>`: the query parameter that carries the management key on every URL handed out (as
 * Azure's carry the system key), so the URLs work as handed out.
 */
export function codeQueryParameter(code: string): string {
  return `code=${webUtilityUrlEncode(code)}`;
}

/** `url` with `code=<key>` appended to its query (after `?`, `&`, or a query ending in either). */
export function withCodeParameter(url: string, code: string): string {
  const separator = /[?&]$/.test(url) ? '' : url.includes('?') ? '&' : '?';
  return `${url}${separator}${codeQueryParameter(code)}`;
}

/** A query string (without `?`; may be empty) with `code=<key>` added. */
export function queryWithCode(query: string, code: string): string {
  return query === '' ? codeQueryParameter(code) : `${query}&${codeQueryParameter(code)}`;
}

/** The management URLs of one instance. */
export interface ManagementUrls {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

/** The query every management URL carries: task hub, connection and, when there is one, the key. */
function requiredQuery(hubName: string, code: string | undefined): string {
  const query = `taskHub=${webUtilityUrlEncode(hubName)}&connection=${CONNECTION_NAME}`;
  return code === undefined ? query : queryWithCode(query, code);
}

/**
 * Builds the management URLs of `instanceId` on `origin` (e.g. `http://localhost:7071`). With
 * `code` (the key the management API requires), every URL carries it, as Azure's carry the
 * system key, so the URLs work as handed out.
 */
export function managementUrls(
  origin: string,
  hubName: string,
  instanceId: string,
  code?: string,
): ManagementUrls {
  const prefix = `${origin}${WEBHOOK_PATH}/instances/${webUtilityUrlEncode(instanceId)}`;
  const query = requiredQuery(hubName, code);
  return {
    id: instanceId,
    statusQueryGetUri: `${prefix}?${query}`,
    sendEventPostUri: `${prefix}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${prefix}/terminate?reason={text}&${query}`,
    rewindPostUri: `${prefix}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${prefix}?${query}`,
    restartPostUri: `${prefix}/restart?${query}`,
    suspendPostUri: `${prefix}/suspend?reason={text}&${query}`,
    resumePostUri: `${prefix}/resume?reason={text}&${query}`,
  };
}

/** Where the management API is reached and with which key. */
export interface ManagementAccess {
  /** The `code` the public management API requires, if it requires one. */
  code?: string;
  /**
   * The client RPC base the worker's durable client calls (ends with `/durabletask/`); default
   * `<origin>/durabletask/`. The local host serves it on a loopback port of its own, without a key,
   * as the extension serves it on 127.0.0.1:17071.
   */
  rpcBaseUrl?: string;
}

/**
 * The value of a `durableClient` input binding, as the extension's `BindingHelper` serializes it.
 * `origin` is the front door's origin.
 */
export function clientBindingPayload(origin: string, hubName: string, access: ManagementAccess = {}): string {
  const base = `${origin}${WEBHOOK_PATH}`;
  const creation = `${base}/orchestrators/{functionName}[/{instanceId}]`;
  const code = access.code === undefined ? '' : `${codeQueryParameter(access.code)}&`;
  return JSON.stringify({
    taskHubName: hubName,
    creationUrls: {
      createNewInstancePostUri: `${creation}?${code}`,
      createAndWaitOnNewInstancePostUri: `${creation}?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${code}`,
    },
    managementUrls: managementUrls(origin, hubName, 'INSTANCEID', access.code),
    baseUrl: base,
    requiredQueryStringParameters: access.code === undefined ? '' : requiredQuery(hubName, access.code),
    rpcBaseUrl: access.rpcBaseUrl ?? `${origin}${RPC_PATH}`,
    httpBaseUrl: null,
    connectionName: null,
  });
}
