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

  it('holds host.json, the compiled app and chat page, and nothing of the sources, tests or local host', () => {
    expect(fs.readdirSync(out).sort()).toEqual(['dist', 'host.json', 'package-lock.json', 'package.json']);
    expect(fs.readdirSync(path.join(out, 'dist')).sort()).toEqual(['src', 'web']);
    expect(fs.existsSync(path.join(out, 'dist/src/functions/app.js'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'dist/web/index.html'))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'host.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(ROOT, 'host.json'), 'utf8'),
    );
  });

  it('lists only the runtime dependencies, with no scripts for a remote build to run', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pkg.dependencies).toEqual(source.dependencies);
    expect(pkg.main).toBe(source.main);
    for (const absent of ['scripts', 'devDependencies', 'optionalDependencies'])
      expect(pkg).not.toHaveProperty(absent);
  });

  it('locks the runtime dependencies at the versions locked here, and no dev tool', () => {
    type Lock = { packages: Record<string, { version?: string }> };
    const lock = JSON.parse(fs.readFileSync(path.join(out, 'package-lock.json'), 'utf8')) as Lock;
    const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
    for (const [name, entry] of Object.entries(lock.packages)) {
      if (name !== '') expect([name, entry.version]).toEqual([name, source.packages[name]?.version]);
    }
    for (const tool of ['jest', 'typescript', 'azurite', 'azure-functions-core-tools']) {
      expect(lock.packages).not.toHaveProperty(`node_modules/${tool}`);
    }
    expect(lock.packages).toHaveProperty('node_modules/durable-functions');
  });
});
