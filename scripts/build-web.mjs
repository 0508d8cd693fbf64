// Builds what browsers load:
// - the chat page into dist/web/ (served by src/functions/chat-page.ts): index.html, and in assets/
//   the page's script bundled with the client (web/src/main.ts -> main.js) and the stylesheet and
//   icon of web/assets/. The folder is emptied first, so nothing stale stays servable.
// - the client entry as one ES module for browsers: dist/client/index.mjs (package.json `exports`
//   "./client" "browser"/"import"), zod and eventsource-parser included.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'dist', 'web');

/** What both bundles share: modern browsers, no Node. */
const browser = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'warning' };

rmSync(web, { recursive: true, force: true });
mkdirSync(path.join(web, 'assets'), { recursive: true });
await build({
  ...browser,
  entryPoints: [path.join(root, 'web', 'src', 'main.ts')],
  outfile: path.join(web, 'assets', 'main.js'),
  tsconfig: path.join(root, 'web', 'tsconfig.json'),
  minify: true,
});
copyFileSync(path.join(root, 'web', 'index.html'), path.join(web, 'index.html'));
for (const name of readdirSync(path.join(root, 'web', 'assets'))) {
  copyFileSync(path.join(root, 'web', 'assets', name), path.join(web, 'assets', name));
}

rmSync(path.join(root, 'dist', 'client'), { recursive: true, force: true });
await build({
  ...browser,
  entryPoints: [path.join(root, 'src', 'client', 'index.ts')],
  outfile: path.join(root, 'dist', 'client', 'index.mjs'),
  tsconfig: path.join(root, 'tsconfig.build.json'),
});
