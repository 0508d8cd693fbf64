import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { CHAT_PAGE_CSP, getChatAsset, getChatPage } from '../../src/functions/chat-page';
import { ChatPageFiles } from '../../src/http/chat-page-files';
import { withApiErrors } from '../../src/http/with-api-errors';

const PAGE = '<!doctype html><title>chat</title><script type="module" src="chat/assets/main.js"></script>';
const MAIN_JS = 'import "./helper.js";\n';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'chat-page-'));
  mkdirSync(path.join(root, 'assets', 'nested'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), PAGE);
  writeFileSync(path.join(root, 'assets', 'main.js'), MAIN_JS);
  writeFileSync(path.join(root, 'assets', 'helper.js'), 'export {};\n');
  writeFileSync(path.join(root, 'assets', 'chat.css'), 'body { color: black; }\n');
  writeFileSync(path.join(root, 'assets', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // Present in the folder, but not servable: the wrong kind of file, or not a flat lower-case name.
  writeFileSync(path.join(root, 'assets', 'notes.txt'), 'private');
  writeFileSync(path.join(root, 'assets', 'main.js.map'), '{}');
  writeFileSync(path.join(root, 'assets', 'Upper.js'), 'export {};');
  writeFileSync(path.join(root, 'assets', 'nested', 'deep.js'), 'export {};');
  writeFileSync(path.join(root, 'secret.js'), 'export const secret = 1;');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function get(url: string, params: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return new HttpRequest({ method: 'GET', url, params, headers });
}

function assetRequest(file: string, headers: Record<string, string> = {}) {
  return get(`http://localhost:7071/api/chat/assets/${encodeURIComponent(file)}`, { file }, headers);
}

async function asResponse(init: Promise<unknown>) {
  const response = new HttpResponse((await init) as ConstructorParameters<typeof HttpResponse>[0]);
  return { response, text: await response.text() };
}

describe('GET /api/chat', () => {
  it('serves the page as HTML with a strict Content-Security-Policy, nosniff and revalidation', async () => {
    const { response, text } = await asResponse(
      getChatPage(get('http://localhost:7071/api/chat'), new ChatPageFiles(root)),
    );
    expect(response.status).toBe(200);
    expect(text).toBe(PAGE);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CHAT_PAGE_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
  });

  it('allows only its own origin for scripts, styles and API calls, and no inline code', () => {
    const directives = new Map(
      CHAT_PAGE_CSP.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(CHAT_PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('answers 304 without a body when the browser already has the current page', async () => {
    const files = new ChatPageFiles(root);
    const first = await asResponse(getChatPage(get('http://localhost:7071/api/chat'), files));
    const etag = first.response.headers.get('etag')!;
    const again = await asResponse(
      getChatPage(
        get('http://localhost:7071/api/chat', {}, { 'if-none-match': `W/"other", ${etag}` }),
        files,
      ),
    );
    expect(again.response.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('redirects /api/chat/ to /api/chat, where the relative asset links resolve', async () => {
    const { response } = await asResponse(
      getChatPage(get('http://localhost:7071/api/chat/?x=1'), new ChatPageFiles(root)),
    );
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/api/chat?x=1');
  });

  it('keeps the files in memory after the first request', async () => {
    const files = new ChatPageFiles(root);
    await getChatPage(get('http://localhost:7071/api/chat'), files);
    writeFileSync(path.join(root, 'index.html'), 'changed on disk');
    const { text } = await asResponse(getChatPage(get('http://localhost:7071/api/chat'), files));
    expect(text).toBe(PAGE);
  });

  it('answers 500 naming `npm run build` while the page is not built, and serves it once it is', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'chat-page-unbuilt-'));
    try {
      const files = new ChatPageFiles(empty);
      const logged: string[] = [];
      const context = new InvocationContext({
        functionName: 'chatPage',
        logHandler: (_level, ...args) => logged.push(args.join(' ')),
      });
      const handler = withApiErrors((request) => getChatPage(request, files));
      const failed = await asResponse(
        Promise.resolve(handler(get('http://localhost:7071/api/chat'), context)),
      );
      expect(failed.response.status).toBe(500);
      expect(JSON.parse(failed.text)).toMatchObject({ error: { code: 'internal_error' } });
      expect(logged.join('\n')).toContain('npm run build');

      writeFileSync(path.join(empty, 'index.html'), PAGE);
      mkdirSync(path.join(empty, 'assets'));
      const served = await asResponse(getChatPage(get('http://localhost:7071/api/chat'), files));
      expect(served.response.status).toBe(200);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('GET /api/chat/assets/{file}', () => {
  it.each([
    ['main.js', 'text/javascript; charset=utf-8', MAIN_JS],
    ['chat.css', 'text/css; charset=utf-8', 'body { color: black; }\n'],
    ['icon.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
  ])('serves %s as %s with the page headers', async (file, contentType, body) => {
    const { response, text } = await asResponse(getChatAsset(assetRequest(file), new ChatPageFiles(root)));
    expect(response.status).toBe(200);
    expect(text).toBe(body);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(response.headers.get('content-security-policy')).toBe(CHAT_PAGE_CSP);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    'unknown.js',
    '../index.html',
    '../secret.js',
    '..%2Fsecret.js',
    '..',
    'nested/deep.js',
    'notes.txt',
    'main.js.map',
    'Upper.js',
    'MAIN.JS',
    '',
  ])('answers 404 in the API error shape for %j, listing the assets that exist', async (file) => {
    const { response, text } = await asResponse(getChatAsset(assetRequest(file), new ChatPageFiles(root)));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('asset_not_found');
    expect(body.error.message).toContain(JSON.stringify(file));
    expect(body.error.message).toContain('chat.css, helper.js, icon.svg, main.js.');
  });

  it('answers 304 when the browser already has the current asset', async () => {
    const files = new ChatPageFiles(root);
    const first = await asResponse(getChatAsset(assetRequest('main.js'), files));
    const etag = first.response.headers.get('etag')!;
    const again = await asResponse(getChatAsset(assetRequest('main.js', { 'if-none-match': etag }), files));
    expect(again.response.status).toBe(304);
  });
});
