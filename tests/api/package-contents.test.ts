/**
 * What a user installs: the library, not the sample app. `npm pack --dry-run` lists the files the
 * package would hold (from dist/, which `npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
  return pack!.files.map((file) => file.path);
}

describe('the package a user installs', () => {
  const files = packedFiles();

  it("holds the library's entries, the chat page and the local host, and neither host.json nor a Functions app entry", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/src/index.js',
        'dist/src/client/index.js',
        'dist/client/index.mjs',
        'dist/src/testing/index.js',
        // The Table transaction writer the library and the local host share.
        'dist/azure-tables/table-batch.js',
        'dist/azure-tables/table-query.js',
        'dist/web/index.html',
        'dist/web/assets/main.js',
        // The local host ships as the package's command (`npx durable-handoff host`, `init`).
        'dist/devhost/command/main.js',
        'dist/devhost/cli.js',
      ]),
    );
    expect(
      files.filter((file) => /(^|\/)host\.json$|local\.settings|^sample\/|customer-support/.test(file)),
    ).toEqual([]);
    // The demo script, the build's bookkeeping and this repository's tests stay out.
    expect(
      files.filter((file) => /^dist\/scripts\/|tsbuildinfo|\.inputs\.json$|\.test\./.test(file)),
    ).toEqual([]);
  });

  it('names its entry module in main, not the glob of a Functions app', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(manifest.main).toBe('dist/src/index.js');
  });

  it('builds itself when installed from git (prepare), and keeps Core Tools out of what it installs', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      bin: Record<string, string>;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(manifest.scripts.prepare).toBe('npm run build:lib');
    expect(manifest.bin).toEqual({ 'durable-handoff': 'dist/devhost/command/main.js' });
    expect(files).toContain(manifest.bin['durable-handoff']);
    expect(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })).not.toContain(
      'azure-functions-core-tools',
    );
  });
});
