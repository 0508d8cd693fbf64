import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temporary folder with the given files; `remove()` deletes it. */
export function tempFolder(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-config-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
