import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHandoffServices } from '../../src/app/handoff-services';
import type { ChatModel } from '../../src/core/model';
import { ConfigurationError } from '../../src/core/errors';
import { RunTokens } from '../../src/http/run-token';
import { TableRunStore } from '../../src/durable/store/table-run-store';
import { workflowRegistry } from '../../sample/src/workflows';

const model: ChatModel = {
  description: 'a model of the app',
  generate: () => Promise.reject(new Error('not called here')),
};

function appFolder(hostJson: unknown): { root: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'services-app-'));
  if (hostJson !== undefined) {
    fs.writeFileSync(
      path.join(root, 'host.json'),
      typeof hostJson === 'string' ? hostJson : JSON.stringify(hostJson),
    );
  }
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

describe('the services of an app', () => {
  it('reads no setting when built: a missing storage setting fails at the first store use, naming it', () => {
    const services = createHandoffServices({ workflows: workflowRegistry }, {});
    let error: unknown;
    try {
      services.store();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).setting).toBe('AzureWebJobsStorage');
  });

  it('builds each service once and hands the same one to every caller', () => {
    const services = createHandoffServices(
      { workflows: workflowRegistry },
      { AzureWebJobsStorage: 'UseDevelopmentStorage=true', DURABLE_HANDOFF_TOKEN_SECRET: 'x'.repeat(32) },
    );
    expect(services.store()).toBeInstanceOf(TableRunStore);
    expect(services.store()).toBe(services.store());
    expect(services.tokens()).toBe(services.tokens());
    expect(services.keys()).toBe(services.keys());
  });

  it('uses the ChatModel the app passes, or calls its factory once, at first use', async () => {
    expect(await createHandoffServices({ workflows: workflowRegistry, model }, {}).model()).toBe(model);
    let made = 0;
    const services = createHandoffServices(
      {
        workflows: workflowRegistry,
        model: () => {
          made += 1;
          return Promise.resolve(model);
        },
      },
      {},
    );
    expect(made).toBe(0);
    await Promise.all([services.model(), services.model()]);
    expect(made).toBe(1);
  });

  it('tries the model factory again after it failed', async () => {
    let attempts = 0;
    const services = createHandoffServices(
      {
        workflows: workflowRegistry,
        model: () => {
          attempts += 1;
          return attempts === 1 ? Promise.reject(new Error('credential not ready')) : Promise.resolve(model);
        },
      },
      {},
    );
    await expect(services.model()).rejects.toThrow('credential not ready');
    expect(await services.model()).toBe(model);
  });

  it('builds the model the settings name when the app passes none (the demo model without settings)', async () => {
    const services = createHandoffServices({ workflows: workflowRegistry }, {});
    expect((await services.model()).description).toBe('offline demo model');
  });

  it('uses the store the app passes', () => {
    const store = new TableRunStore({
      kind: 'connection-string',
      connectionString: 'UseDevelopmentStorage=true',
      tablePrefix: 'Mine',
    });
    expect(createHandoffServices({ workflows: workflowRegistry, store }, {}).store()).toBe(store);
    expect(createHandoffServices({ workflows: workflowRegistry, store: () => store }, {}).store()).toBe(
      store,
    );
  });

  it('signs tokens with the secret the app passes, still accepting the previous ones the settings list', () => {
    const previous = new RunTokens('the-previous-secret-0123456789');
    const services = createHandoffServices(
      { workflows: workflowRegistry, tokenSecret: 'the-app-secret-0123456789' },
      {
        DURABLE_HANDOFF_TOKEN_SECRET: 'a-setting-that-the-option-overrides',
        DURABLE_HANDOFF_TOKEN_SECRET_PREVIOUS: 'the-previous-secret-0123456789',
      },
    );
    const tokens = services.tokens();
    const run = { runId: 'run-1', nonce: 'AAAAAAAAAAAAAAAAAAAAAA' };
    expect(new RunTokens('the-app-secret-0123456789').check('run-1', tokens.issue(run)).kind).toBe('valid');
    expect(tokens.check('run-1', previous.issue(run)).kind).toBe('valid');
  });

  describe('route prefix', () => {
    it.each([
      [{ version: '2.0', extensions: { http: { routePrefix: '/support/v1/' } } }, 'support/v1'],
      [{ version: '2.0', extensions: { http: { routePrefix: '' } } }, ''],
      [{ version: '2.0' }, 'api'],
      [undefined, 'api'],
    ])("reads host.json %j in the app's root (AzureWebJobsScriptRoot) as '%s'", (hostJson, prefix) => {
      const app = appFolder(hostJson);
      try {
        const services = createHandoffServices(
          { workflows: workflowRegistry },
          { AzureWebJobsScriptRoot: app.root },
        );
        expect(services.routePrefix()).toBe(prefix);
      } finally {
        app.remove();
      }
    });

    it('takes the routePrefix option over host.json', () => {
      const app = appFolder({ version: '2.0', extensions: { http: { routePrefix: 'api' } } });
      try {
        const services = createHandoffServices(
          { workflows: workflowRegistry, routePrefix: '/chat/' },
          { AzureWebJobsScriptRoot: app.root },
        );
        expect(services.routePrefix()).toBe('chat');
      } finally {
        app.remove();
      }
    });

    it('names the file and the option when host.json is not JSON', () => {
      const app = appFolder('{ "version": "2.0", // comment\n}');
      try {
        const services = createHandoffServices(
          { workflows: workflowRegistry },
          { AzureWebJobsScriptRoot: app.root },
        );
        expect(() => services.routePrefix()).toThrow(/host\.json is not valid JSON.*pass routePrefix/);
      } finally {
        app.remove();
      }
    });
  });

  it('registers the app without loading the model, identity or storage SDKs (cold start)', () => {
    // A fresh process: loads the built package's public entry and registers an app, as a Functions
    // app's entry file does at start-up, then lists the packages it loaded.
    const entry = path.resolve(__dirname, '../../dist/src/index.js');
    const script = `
      const lib = require(${JSON.stringify(entry)});
      const a = lib.agent({ name: 'a', instructions: 'Answer.' });
      const workflow = new lib.HandoffBuilder({ name: 'w' }).participants([a]).withStartAgent(a).build();
      lib.registerHandoffApp({ workflows: new lib.WorkflowRegistry().register(workflow) });
      const loaded = Object.keys(require.cache).filter((file) => /node_modules[\\\\/](openai|@azure[\\\\/](identity|data-tables))[\\\\/]/.test(file));
      process.stdout.write('\\nloaded: ' + JSON.stringify(loaded));
    `;
    const output = execFileSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const loaded = JSON.parse(/^loaded: (.*)$/m.exec(output)?.[1] ?? 'null') as string[];
    expect(loaded).toEqual([]);
  });
});
