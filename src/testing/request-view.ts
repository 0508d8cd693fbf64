/**
 * What the scripted model server knows about one Chat Completions request, built once and shown
 * to steps, the responder, and the test (through `requests`).
 */
import type { IncomingMessage } from 'node:http';
import { AGENT_HEADER } from '../model/chat-completion-request';
import { type ChatRequestBody, contentText, toolNames } from './chat-request-schema';
import { flatHeaders } from './http-exchange';
import { safeDecode } from './routes';
import type { ScriptedRequestView } from './script-types';

/** The view of a request. */
export function requestView(
  index: number,
  request: IncomingMessage,
  url: URL,
  deployment: string | undefined,
  body: ChatRequestBody,
): ScriptedRequestView {
  const headers = flatHeaders(request);
  const agentHeader = headers[AGENT_HEADER];
  const system = body.messages.find((message) => message.role === 'system' || message.role === 'developer');
  const lastUser = [...body.messages].reverse().find((message) => message.role === 'user');
  return {
    index,
    method: request.method ?? 'POST',
    path: url.pathname,
    agent: agentHeader === undefined ? undefined : safeDecode(agentHeader),
    deployment,
    apiVersion: url.searchParams.get('api-version') ?? undefined,
    headers,
    body,
    model: body.model ?? deployment,
    stream: body.stream === true,
    toolNames: toolNames(body),
    system: system === undefined ? undefined : contentText(system),
    lastUserText: lastUser === undefined ? undefined : contentText(lastUser),
    receivedAt: new Date().toISOString(),
  };
}
