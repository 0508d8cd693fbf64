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

/** Builds the management URLs of `instanceId` on `origin` (e.g. `http://localhost:7071`). */
export function managementUrls(origin: string, hubName: string, instanceId: string): ManagementUrls {
  const prefix = `${origin}${WEBHOOK_PATH}/instances/${webUtilityUrlEncode(instanceId)}`;
  const query = `taskHub=${webUtilityUrlEncode(hubName)}&connection=${CONNECTION_NAME}`;
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

/**
 * The value of a `durableClient` input binding, as the extension's `BindingHelper` serializes it.
 * `origin` is the front door's origin; `rpcBaseUrl` ends with `/durabletask/`.
 */
export function clientBindingPayload(origin: string, hubName: string): string {
  const base = `${origin}${WEBHOOK_PATH}`;
  const creation = `${base}/orchestrators/{functionName}[/{instanceId}]`;
  return JSON.stringify({
    taskHubName: hubName,
    creationUrls: {
      createNewInstancePostUri: `${creation}?`,
      createAndWaitOnNewInstancePostUri: `${creation}?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&`,
    },
    managementUrls: managementUrls(origin, hubName, 'INSTANCEID'),
    baseUrl: base,
    requiredQueryStringParameters: '',
    rpcBaseUrl: `${origin}${RPC_PATH}`,
    httpBaseUrl: null,
    connectionName: null,
  });
}
