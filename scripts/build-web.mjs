// Builds what browsers load:
// - the chat page into dist/web/ (served by src/functions/chat-page.ts): index.html, and in assets/
//   the page's script bundled with the client (web/src/main.ts -> main.js) and the stylesheet and
//   icon of web/assets/. The folder is emptied first, so nothing stale stays servable.
// - the client entry as one ES module for browsers: dist/client/index.mjs (package.json `exports`
//   "./client" "browser"/"import"), zod and eventsource-parser included.
// Nothing is rebuilt when no input changed since the last build (dist/web/.inputs.json lists the
// inputs esbuild read and the copied files), so `npm start` pays for it only after an edit.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'dist', 'web');

/** What both bundles share: modern browsers, no Node. */
const browser = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'warning' };

const stamp = path.join(web, '.inputs.json');
const copied = [
  path.join('web', 'index.html'),
  ...readdirSync(path.join(root, 'web', 'assets')).map((name) => path.join('web', 'assets', name)),
];

function upToDate() {
  if (!existsSync(stamp) || !existsSync(path.join(root, 'dist', 'client', 'index.mjs'))) return false;
  const built = statSync(stamp).mtimeMs;
  const inputs = JSON.parse(readFileSync(stamp, 'utf8'));
  if (JSON.stringify(inputs.copied) !== JSON.stringify(copied)) return false;
  return [...inputs.bundled, ...copied].every((file) => {
    const full = path.join(root, file);
    return existsSync(full) && statSync(full).mtimeMs <= built;
  });
}

if (upToDate()) process.exit(0);

rmSync(web, { recursive: true, force: true });
mkdirSync(path.join(web, 'assets'), { recursive: true });
const page = await build({
  ...browser,
  metafile: true,
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
const client = await build({
  ...browser,
  metafile: true,
  entryPoints: [path.join(root, 'src', 'client', 'index.ts')],
  outfile: path.join(root, 'dist', 'client', 'index.mjs'),
  tsconfig: path.join(root, 'tsconfig.build.json'),
});

// esbuild names its inputs relative to the working folder; keep them relative to the project.
const bundled = [...Object.keys(page.metafile.inputs), ...Object.keys(client.metafile.inputs)].map((file) =>
  path.relative(root, path.resolve(process.cwd(), file)),
);
writeFileSync(stamp, JSON.stringify({ bundled: [...new Set(bundled)].sort(), copied }));
