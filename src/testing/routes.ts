/**
 * Which requests the scripted model server serves: Chat Completions under any prefix (`/v1`,
 * none, Azure's `/openai/deployments/{deployment}` and `/openai/v1`), and the model list.
 */

/** A served route. */
export type Route = { kind: 'chat'; deployment: string | undefined } | { kind: 'models' };

/** The routes in words, for the message about an unsupported one. */
export const SERVED_ROUTES =
  'POST /v1/chat/completions, POST /openai/deployments/{deployment}/chat/completions?api-version=..., GET /v1/models';

const AZURE_CHAT = /^\/openai\/deployments\/([^/]+)\/chat\/completions\/?$/;
const ANY_CHAT = /^(?:\/[^?]*)?\/chat\/completions\/?$/;
const MODELS = /^(?:\/v1|\/openai|\/openai\/v1)?\/models\/?$/;

/** The route of a request, or `undefined` when the server does not serve it. */
export function routeOf(method: string, path: string): Route | undefined {
  if (method === 'POST') {
    const azure = AZURE_CHAT.exec(path);
    if (azure !== null) return { kind: 'chat', deployment: safeDecode(azure[1]!) };
    if (ANY_CHAT.test(path)) return { kind: 'chat', deployment: undefined };
  }
  if (method === 'GET' && MODELS.test(path)) return { kind: 'models' };
  return undefined;
}

/** `decodeURIComponent`, or the text unchanged when it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
