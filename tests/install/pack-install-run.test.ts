/**
 * The install story as a user follows it: the package packed as `npm pack` makes it, installed into
 * a scratch app of their own (in a temporary folder, outside this repository), `durable-handoff init`
 * writing a minimal app there, and `durable-handoff host` running it; a run then goes through the
 * HTTP API to the scripted model server. `npm test` builds dist/ first; the pack itself skips the
 * scripts (`prepare` would rebuild dist/ under the other tests).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HandoffClient } from '../../src/client';
import type { WorkflowEvent } from '../../src/core/events';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing';
import { startCliHost, type CliHost } from '../support/cli-host';

const root = path.resolve(__dirname, '../..');

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The azurite version this repository locks, so the install can come from the npm cache. */
function lockedVersion(name: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  return lock.packages[`node_modules/${name}`]!.version;
}

describe('a scratch app of a user with the packed package installed', () => {
  let scratch: string;
  let appDir: string;
  let model: ScriptedModelServer | undefined;
  let host: CliHost | undefined;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-handoff-install-'));
    appDir = path.join(scratch, 'my-app');
    fs.mkdirSync(appDir);
    const [packed] = JSON.parse(
      run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], root),
    ) as Array<{ filename: string }>;
    fs.writeFileSync(
      path.join(appDir, 'package.json'),
      JSON.stringify({ name: 'my-app', version: '1.0.0', private: true }, null, 2),
    );
    // The README's commands: the library from its tarball, Azurite for the local host's storage.
    run(
      'npm',
      [
        'install',
        path.join(scratch, packed!.filename),
        `azurite@${lockedVersion('azurite')}`,
        '--save-dev=false',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
      ],
      appDir,
    );
  }, 600_000);

  afterAll(async () => {
    await host?.kill('SIGTERM');
    await model?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('gets the command from the package: init writes a minimal app and says what to do next', () => {
    const output = run(path.join(appDir, 'node_modules/.bin/durable-handoff'), ['init'], appDir);

    for (const file of [
      'host.json',
      'local.settings.json',
      'src/functions/handoff.js',
      'src/workflows/support-desk.js',
    ]) {
      expect(output).toContain(`wrote ${file}`);
      expect(fs.existsSync(path.join(appDir, file))).toBe(true);
    }
    expect(output).toContain('npx durable-handoff host');
    const manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    expect(manifest.main).toBe('src/functions/*.js');
    expect(manifest.scripts.start).toBe('durable-handoff host');
  });

  it('runs the app on the shipped host: a run goes through the HTTP API to the model and ends', async () => {
    model = await startScriptedModelServer({
      steps: [
        {
          agent: 'triage_agent',
          reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: { reason: 'a delivery' } }] },
        },
        { agent: 'shipping_agent', reply: { text: 'Your order #12345 was delivered yesterday.' } },
      ],
    });
    host = await startCliHost({
      command: [path.join(appDir, 'node_modules/.bin/durable-handoff'), 'host'],
      appDir,
      port: 0,
      dataDir: path.join(scratch, 'host-data'),
      storage: 'memory',
      env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'scripted', OPENAI_API_KEY: 'sk-scratch-app' },
      readyTimeoutMs: 60_000,
    });

    const client = new HandoffClient({ baseUrl: host.baseUrl });
    const events: WorkflowEvent[] = [];
    for await (const event of client.runStream('support_desk', 'Where is my order #12345?'))
      events.push(event);

    const output = events.at(-1);
    expect(output?.type).toBe('output');
    expect(output?.type === 'output' && output.conversation.at(-1)).toEqual({
      role: 'assistant',
      authorName: 'shipping_agent',
      text: 'Your order #12345 was delivered yesterday.',
    });
    expect(model.pending()).toEqual([]);
    // The root URL leads to the chat page.
    const root = await fetch(`${host.baseUrl}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/api/chat');
  }, 120_000);
});
