/**
 * `GET /api/chat` and `GET /api/chat/assets/{file}`: the chat page (built from `web/` into
 * `dist/web/`). Anonymous: the page holds no secret; it talks to the public API with each run's token.
 *
 * @example
 * ```sh
 * npm start    # then open http://localhost:7071/api/chat
 * ```
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { DurableHandoffError } from '../core/errors';
import { withApiErrors } from '../http/with-api-errors';

/** Where `npm run build` puts the page: `dist/web/`, beside this compiled file's `dist/src/functions/`. */
export const CHAT_PAGE_DIR = path.resolve(__dirname, '../../web');

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

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Asset names the folder may offer: flat, lower-case, `.js`, `.css` or `.svg`. Anything else is never served. */
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(?:js|css|svg)$/;

/** A file served from memory. */
export interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** The page could not be served because it was not built (or the build is incomplete). */
export class ChatPageUnavailableError extends DurableHandoffError {
  constructor(message: string, cause?: unknown) {
    super('internal', message, { cause });
    this.name = 'ChatPageUnavailableError';
  }
}

function staticFile(body: Buffer, name: string): StaticFile {
  const digest = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return {
    body,
    contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
    etag: `"${digest}"`,
  };
}

/**
 * The built page of one folder (`index.html` and `assets/*.{js,css,svg}`), read once and kept in memory.
 * The asset whitelist is the folder's listing: a request names a key of that map and never reaches
 * the file system, so no path can escape the folder.
 */
export class ChatPageFiles {
  #loading: Promise<{ page: StaticFile; assets: Map<string, StaticFile> }> | undefined;

  constructor(readonly root: string) {}

  /** `index.html`. */
  async page(): Promise<StaticFile> {
    return (await this.#load()).page;
  }

  /** The asset called `name`, or undefined when the page has no such asset. */
  async asset(name: string): Promise<StaticFile | undefined> {
    return (await this.#load()).assets.get(name);
  }

  /** The names of the assets, sorted. */
  async assetNames(): Promise<string[]> {
    return [...(await this.#load()).assets.keys()].sort();
  }

  #load(): Promise<{ page: StaticFile; assets: Map<string, StaticFile> }> {
    // A failed load is not cached, so a build finished after start-up is picked up on the next request.
    this.#loading ??= this.#read().catch((error: unknown) => {
      this.#loading = undefined;
      throw error;
    });
    return this.#loading;
  }

  async #read(): Promise<{ page: StaticFile; assets: Map<string, StaticFile> }> {
    const assetsDir = path.join(this.root, 'assets');
    let page: Buffer;
    let names: string[];
    try {
      page = await readFile(path.join(this.root, 'index.html'));
      names = (await readdir(assetsDir)).filter((name) => ASSET_NAME.test(name));
    } catch (error) {
      throw new ChatPageUnavailableError(
        `The chat page is not built: ${this.root} has no index.html or assets/ folder. Run \`npm run build\`.`,
        error,
      );
    }
    const assets = new Map<string, StaticFile>();
    for (const name of names) assets.set(name, staticFile(await readFile(path.join(assetsDir, name)), name));
    return { page: staticFile(page, 'index.html'), assets };
  }
}

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

let appFiles: ChatPageFiles | undefined;
function defaultFiles(): ChatPageFiles {
  appFiles ??= new ChatPageFiles(CHAT_PAGE_DIR);
  return appFiles;
}

/** Serves the page. `/api/chat/` redirects to `/api/chat`, where the page's relative asset links resolve. */
export async function getChatPage(
  request: HttpRequest,
  files: ChatPageFiles = defaultFiles(),
): Promise<HttpResponseInit> {
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
export async function getChatAsset(
  request: HttpRequest,
  files: ChatPageFiles = defaultFiles(),
): Promise<HttpResponseInit> {
  const name = request.params.file ?? '';
  const file = await files.asset(name);
  if (file) return serve(request, file);
  const shown = JSON.stringify(name.slice(0, 100));
  return {
    status: 404,
    headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    jsonBody: {
      error: {
        code: 'asset_not_found',
        message: `The chat page has no asset ${shown}. Assets: ${(await files.assetNames()).join(', ')}.`,
      },
    },
  };
}

/** Registers `GET /api/chat` and `GET /api/chat/assets/{file}`. */
export function registerChatPage(): void {
  app.http('chatPage', {
    route: 'chat',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withApiErrors((request) => getChatPage(request)),
  });

  app.http('chatAsset', {
    route: 'chat/assets/{file}',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withApiErrors((request) => getChatAsset(request)),
  });
}
