/**
 * Telemetry to Application Insights through `@azure/monitor-opentelemetry` (the sample app installs
 * it): with only `APPLICATIONINSIGHTS_CONNECTION_STRING` set, a run's spans reach the ingestion
 * endpoint the connection string names. The endpoint is a test receiver, so the real export path
 * (the Azure Monitor distro, its sampler, its exporter, its envelopes) runs without Azure. The host
 * runs in a child process: the distro instruments the process it runs in, and the process must
 * trust the receiver's certificate from its start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '../../devhost/azurite/ports';
import { startScriptedModelServer, type ScriptedModelServer } from '../../src/testing';
import { request, waitFor as waitForAsync } from '../support/api-client';
import { appSettings } from '../support/app-host';
import {
  startAppInsightsReceiver,
  type AppInsightsReceiver,
  type TrackEnvelope,
} from '../support/app-insights-receiver';
import { startCliHost, type CliHost } from '../support/cli-host';

const waitFor = <T>(what: string, probe: () => T | undefined): Promise<T> =>
  waitForAsync(what, () => Promise.resolve(probe()), { timeoutMs: 30_000 });

const INSTRUMENTATION_KEY = '00000000-1111-2222-3333-444444444444';

describe('telemetry to Application Insights', () => {
  let receiver: AppInsightsReceiver;
  let model: ScriptedModelServer;
  let host: CliHost | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-insights-run-'));

  beforeAll(async () => {
    receiver = await startAppInsightsReceiver();
    model = await startScriptedModelServer({
      steps: [
        {
          agent: 'coordinator_agent',
          reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
        },
        {
          agent: 'shipping_agent',
          reply: { text: 'Your order #12345 arrives in 2 days. The issue is resolved.' },
        },
      ],
    });
    const [port] = await freePorts(1);
    host = await startCliHost({
      port: port!,
      dataDir,
      storage: 'memory',
      env: {
        ...appSettings(model, {
          APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${INSTRUMENTATION_KEY};IngestionEndpoint=${receiver.endpoint}/`,
          // Nothing may leave the machine: no usage statistics, no live metrics.
          APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: 'true',
          APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ enableLiveMetrics: false }),
          OTEL_BSP_SCHEDULE_DELAY: '100',
        }),
        NODE_EXTRA_CA_CERTS: receiver.certificatePath,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await host?.kill('SIGTERM');
    await model?.close();
    await receiver?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("sends the run's spans, one operation per run, with the run id on each", async () => {
    const started = await request<{ runId: string }>(`${host!.api}/workflows/customer_support/run`, {
      body: { message: 'I never received my order #12345', mode: 'autonomous' },
    });
    expect(started.status).toBe(202);
    const { runId } = started.body;
    const ofRun = (): TrackEnvelope[] =>
      receiver.envelopes.filter(
        (envelope) => envelope.data.baseData.properties?.['gen_ai.conversation.id'] === runId,
      );
    const items = await waitFor("the run's spans to arrive", () => {
      const found = ofRun();
      return found.some((item) => item.data.baseData.name === 'finish_run') ? found : undefined;
    });

    expect(new Set(items.map((item) => item.iKey))).toEqual(new Set([INSTRUMENTATION_KEY]));
    const names = items.map((item) => item.data.baseData.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'invoke_workflow customer_support',
        'invoke_agent coordinator_agent',
        'invoke_agent shipping_agent',
        'chat scripted-model',
        'finish_run',
      ]),
    );
    // One trace: Application Insights' operation id is the trace id.
    const operations = new Set(items.map((item) => item.tags['ai.operation.id']));
    expect(operations.size).toBe(1);
    const chat = items.find((item) => item.data.baseData.name === 'chat scripted-model')!;
    expect(chat.data.baseType).toBe('RemoteDependencyData');
    expect(chat.data.baseData.properties).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'scripted-model',
      'gen_ai.agent.name': 'coordinator_agent',
    });

    // The start request is a request of its own, linked to the run.
    const startRequest = await waitFor('the start request', () =>
      receiver.envelopes.find(
        (item) =>
          item.data.baseType === 'RequestData' &&
          item.data.baseData.name === 'POST /api/workflows/{name}/run' &&
          item.data.baseData.properties?.['durable_handoff.run.id'] === runId,
      ),
    );
    expect(startRequest.data.baseData.properties?.['_MS.links']).toContain(operations.values().next().value);
  });
});
