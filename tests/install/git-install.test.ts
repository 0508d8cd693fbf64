/**
 * `npm install git+file://<clone>` of the library into a scratch app: npm clones it, installs its
 * dev dependencies and runs `prepare`, which builds dist/. It takes minutes (about 3.5 on 2 shared
 * cores, from the npm cache), too long for every `npm test`: it runs when
 * DURABLE_HANDOFF_GIT_INSTALL_TEST=1, and installs the committed HEAD (uncommitted edits are not in
 * a clone). The packed-tarball install of pack-install-run.test.ts runs every time.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const enabled = process.env.DURABLE_HANDOFF_GIT_INSTALL_TEST === '1';

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Straight to stderr: jest shows no console output of a file whose tests all skip.
if (!enabled)
  process.stderr.write(
    'Skipping the git-URL install test: set DURABLE_HANDOFF_GIT_INSTALL_TEST=1 to run it.\n',
  );

(enabled ? describe : describe.skip)('a git-URL install into a scratch app', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-handoff-git-install-'));
  });
  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('builds dist/ through prepare, and the app can load the library and run its command', () => {
    const clone = path.join(scratch, 'durable-handoff');
    run('git', ['clone', '--quiet', '--depth', '1', `file://${root}`, clone], scratch);
    const app = path.join(scratch, 'my-app');
    fs.mkdirSync(app);
    run('npm', ['init', '-y'], app);
    run('npm', ['install', '--no-audit', '--no-fund', `git+file://${clone}`], app);

    const installed = path.join(app, 'node_modules/durable-handoff');
    expect(fs.existsSync(path.join(installed, 'dist/src/index.js'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'dist/web/index.html'))).toBe(true);
    const exported = run(
      process.execPath,
      ['-e', "console.log(typeof require('durable-handoff').registerHandoffApp)"],
      app,
    );
    expect(exported.trim()).toBe('function');
    expect(run(path.join(app, 'node_modules/.bin/durable-handoff'), ['host', '--help'], app)).toContain(
      '--stop-timeout',
    );
  }, 900_000);
});
