import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as df from 'durable-functions';
import {
  durableFunctions,
  ORCHESTRATION_RUNTIME_MODULE,
  RETRY_OPTIONS_MODULE,
} from '../../src/durable/durable-functions-sdk';
import { activityRetryOptions } from '../../src/durable/orchestrator/handoff-orchestrator';
import {
  activityTrigger,
  durableClientInput,
  orchestrationTrigger,
} from '../../src/functions/durable-bindings';

const root = path.resolve(__dirname, '../..');

/**
 * Packages that load on first use, never while the worker loads the app (cold start, #16): the
 * model client, identity, the storage SDKs, MCP, the OpenTelemetry SDK and exporters, and all of
 * durable-functions (its entry brings the Durable client's HTTP stack: axios, validator, lodash).
 */
const LOADED_ON_FIRST_USE =
  /node_modules[\\/](openai|axios|validator|lodash|durable-functions|@azure[\\/](identity|data-tables|storage-blob|monitor-opentelemetry)|@modelcontextprotocol|@opentelemetry[\\/](sdk-|exporter-|resources|otlp-))/;

describe('start-up of the app', () => {
  it('registers every function of the sample app in the worker without loading the SDKs used later', () => {
    // A fresh process: the local host's worker loads the sample app (every entry file of its
    // package.json main, the appStart hooks, the HTTP stream proxy), as a Functions worker does.
    const script = `
      const { AppWorker } = require(${JSON.stringify(path.join(root, 'dist/devhost/worker/app-worker.js'))});
      AppWorker.start({ appDir: ${JSON.stringify(path.join(root, 'sample'))}, log: () => undefined }).then(async (worker) => {
        const functions = worker.list().map((f) => [f.name, Object.values(f.bindings).map((b) => b.type).sort()]);
        const loaded = Object.keys(require.cache).filter((file) => ${LOADED_ON_FIRST_USE.toString()}.test(file));
        await worker.terminate();
        process.stdout.write('\\nstarted: ' + JSON.stringify({ functions, loaded }) + '\\n');
      });
    `;
    const output = execFileSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        AZURE_FUNCTIONS_ENVIRONMENT: 'Development',
        DURABLE_HANDOFF_TOKEN_SECRET: 'start-up-modules-test-secret',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const started = JSON.parse(/^started: (.*)$/m.exec(output)?.[1] ?? 'null') as {
      functions: [string, string[]][];
      loaded: string[];
    };
    expect(started.loaded).toEqual([]);
    expect(Object.fromEntries(started.functions)).toEqual({
      handoffOrchestrator: ['orchestrationTrigger'],
      handoffAgentTurn: ['activityTrigger'],
      handoffSyncRun: ['activityTrigger'],
      handoffFinishRun: ['activityTrigger'],
      listWorkflows: ['http', 'httpTrigger'],
      startRun: ['durableClient', 'http', 'httpTrigger'],
      getRunStatus: ['durableClient', 'http', 'httpTrigger'],
      respondToRun: ['durableClient', 'http', 'httpTrigger'],
      getRunEvents: ['durableClient', 'http', 'httpTrigger'],
      terminateRun: ['durableClient', 'http', 'httpTrigger'],
      keyCheck: ['http', 'httpTrigger'],
      handoffRetention: ['durableClient', 'timerTrigger'],
      chatPage: ['http', 'httpTrigger'],
      chatAsset: ['http', 'httpTrigger'],
    });
  });

  describe('the Durable bindings registered without durable-functions', () => {
    it("are durable-functions' own", () => {
      expect(orchestrationTrigger()).toEqual(df.trigger.orchestration());
      expect(activityTrigger()).toEqual(df.trigger.activity());
      expect(durableClientInput()).toEqual(df.input.durableClient());
    });

    it("load the modules durable-functions' entry uses (a version that moves them fails here)", () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const runtime = require(ORCHESTRATION_RUNTIME_MODULE) as Record<string, unknown>;
      expect(typeof runtime.createOrchestrator).toBe('function');
      // The entry re-exports the runtime module's test context: the same module instance.
      expect(runtime.DummyOrchestrationContext).toBe(df.DummyOrchestrationContext);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect((require(RETRY_OPTIONS_MODULE) as typeof df).RetryOptions).toBe(df.RetryOptions);
      expect(activityRetryOptions()).toBeInstanceOf(df.RetryOptions);
      expect(durableFunctions()).toBe(df);
    });
  });
});
