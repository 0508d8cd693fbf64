import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('scripts/stage-deployment.mjs (the package azd deploys)', () => {
  let out: string;
  beforeAll(() => {
    out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stage-')), 'package');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'stage-deployment.mjs'), '--out', out], {
      stdio: 'ignore',
    });
  });
  afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  it("holds the sample app's host.json and compiled code, the library as packed, and nothing of the sources, tests or the sample's settings", () => {
    expect(fs.readdirSync(out).sort()).toEqual([
      'dist',
      'durable-handoff-0.1.0.tgz',
      'host.json',
      'package-lock.json',
      'package.json',
    ]);
    expect(fs.readdirSync(path.join(out, 'dist')).sort()).toEqual(['functions', 'orders', 'workflows']);
    expect(fs.existsSync(path.join(out, 'dist/functions/app.js'))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'host.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(ROOT, 'sample', 'host.json'), 'utf8'),
    );
    const packed = execFileSync('tar', ['-tzf', path.join(out, 'durable-handoff-0.1.0.tgz')], {
      encoding: 'utf8',
    });
    expect(packed).toContain('package/dist/src/index.js');
    expect(packed).toContain('package/dist/web/index.html');
    // The library ships its local host as a command (dist/devhost, `npx durable-handoff host`); in the
    // deployed app it is files nothing loads. The sample app, its settings and host.json stay out.
    expect(packed).toContain('package/dist/devhost/command/main.js');
    expect(packed).not.toMatch(/host\.json|sample|local\.settings|tsbuildinfo/);
  });

  it('depends on the packed library only, with no scripts for a remote build to run', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const sample = JSON.parse(fs.readFileSync(path.join(ROOT, 'sample', 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pkg.dependencies).toEqual({ 'durable-handoff': 'file:durable-handoff-0.1.0.tgz' });
    expect(pkg.main).toBe(sample.main);
    for (const absent of ['scripts', 'devDependencies', 'optionalDependencies'])
      expect(pkg).not.toHaveProperty(absent);
  });

  it("locks the library's dependencies at the versions locked here, and no dev tool", () => {
    type Lock = { packages: Record<string, { version?: string }> };
    const lock = JSON.parse(fs.readFileSync(path.join(out, 'package-lock.json'), 'utf8')) as Lock;
    const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
    for (const [name, entry] of Object.entries(lock.packages)) {
      if (name !== '' && name !== 'node_modules/durable-handoff') {
        expect([name, entry.version]).toEqual([name, source.packages[name]?.version]);
      }
    }
    for (const tool of ['jest', 'typescript', 'azurite', 'azure-functions-core-tools', 'esbuild']) {
      expect(lock.packages).not.toHaveProperty(`node_modules/${tool}`);
    }
    expect(lock.packages).toHaveProperty('node_modules/durable-functions');
    expect(lock.packages).toHaveProperty('node_modules/durable-handoff');
  });
});
