/**
 * `GET /api/chat` and `GET /api/chat/assets/{file}`: the chat page (built from `web/` into
 * `dist/web/`). Anonymous: the page holds no secret; it talks to the public API with each run's token.
 *
 * @example
 * ```sh
 * npm start    # then open http://localhost:7071/api/chat
 * ```
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import type { ChatPageFiles, StaticFile } from '../http/chat-page-files';
import { ApiError } from '../http/http-error';
import { withApiErrors } from '../http/with-api-errors';

/**
 * The page's Content-Security-Policy: its own scripts, styles and API only; no inline script or style,
 * no plugins, no framing, no `<base>` rewriting.
 */
export const CHAT_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function matchesEtag(request: HttpRequest, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '');
    return value === etag || value === '*';
  });
}

/** The response for `file`: 304 when the client's copy is current, else the bytes. Always revalidated. */
function serve(request: HttpRequest, file: StaticFile): HttpResponseInit {
  const headers = {
    'content-type': file.contentType,
    'cache-control': 'no-cache',
    etag: file.etag,
    'content-security-policy': CHAT_PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (matchesEtag(request, file.etag)) return { status: 304, headers };
  return { status: 200, headers, body: file.body };
}

/** Serves the page. `/api/chat/` redirects to `/api/chat`, where the page's relative asset links resolve. */
export async function getChatPage(request: HttpRequest, files: ChatPageFiles): Promise<HttpResponseInit> {
  const url = new URL(request.url);
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) {
    return {
      status: 308,
      headers: { location: url.pathname.replace(/\/+$/, '') + url.search, 'cache-control': 'no-cache' },
    };
  }
  return serve(request, await files.page());
}

/** Serves one asset of the page; 404 in the API's error shape for any name the page does not have. */
export async function getChatAsset(request: HttpRequest, files: ChatPageFiles): Promise<HttpResponseInit> {
  const name = request.params.file ?? '';
  const file = await files.asset(name);
  if (file) return serve(request, file);
  const shown = JSON.stringify(name.slice(0, 100));
  const missing = new ApiError(
    404,
    'asset_not_found',
    `The chat page has no asset ${shown}. Assets: ${(await files.assetNames()).join(', ')}.`,
  ).toResponse();
  return { ...missing, headers: { ...missing.headers, 'x-content-type-options': 'nosniff' } };
}

/** Registers `GET /api/chat` and `GET /api/chat/assets/{file}`. */
export function registerChatPage(services: HandoffServices): void {
  app.http('chatPage', {
    route: 'chat',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withApiErrors((request) => getChatPage(request, services.chatPage())),
  });

  app.http('chatAsset', {
    route: 'chat/assets/{file}',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withApiErrors((request) => getChatAsset(request, services.chatPage())),
  });
}
