/**
 * The built chat page (`npm run build` puts it in `dist/web/`), read once and served from memory.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DurableHandoffError } from '../core/errors';

/** Where `npm run build` puts the page: `dist/web/`, beside this compiled file's `dist/src/http/`. */
export const CHAT_PAGE_DIR = path.resolve(__dirname, '../../web');

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
