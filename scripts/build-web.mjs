// Builds the chat page into dist/web/ (served by src/functions/chat-page.ts): index.html, and in
// assets/ the compiled browser modules of web/src/ (web/tsconfig.json) and the stylesheets of
// web/assets/. The folder is emptied first, so a renamed module never lingers as a servable file.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');

rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'assets'), { recursive: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'web', 'tsconfig.json')], { stdio: 'inherit' });
copyFileSync(path.join(root, 'web', 'index.html'), path.join(out, 'index.html'));
for (const name of readdirSync(path.join(root, 'web', 'assets'))) {
  copyFileSync(path.join(root, 'web', 'assets', name), path.join(out, 'assets', name));
}
