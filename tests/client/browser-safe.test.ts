import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '../..');
const clientDir = join(root, 'src/client');

/** Every module the client's files import, transitively: project files and packages. */
function importGraph(entries: readonly string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) {
        packages.add(fileName);
        continue;
      }
      const base = resolve(dirname(file), fileName);
      const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
      if (target === undefined)
        throw new Error(`${relative(root, file)} imports ${fileName}, which is not a .ts file`);
      queue.push(target);
    }
  }
  return { files, packages };
}

describe('the client modules', () => {
  it('import nothing but zod, eventsource-parser and the pure core, so they run in browsers as well as on Node', () => {
    const entries = readdirSync(clientDir)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(clientDir, name));
    const { files, packages } = importGraph(entries);

    expect([...packages].sort()).toEqual(['eventsource-parser', 'zod']);
    const outside = [...files]
      .map((file) => relative(root, file))
      .filter((file) => !file.startsWith('src/client/') && !file.startsWith('src/core/'));
    expect(outside).toEqual([]);
    expect(files.size).toBeGreaterThan(entries.length);
  });
});
