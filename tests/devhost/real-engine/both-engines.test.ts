/**
 * The same scenarios on the emulated engine and on Microsoft's Durable extension (devhost/dtfx),
 * over HTTP through durable-functions' own client. Each history is compared with the real
 * engine's recording in tests/fixtures/histories/dtfx (RECORD_HISTORIES=1 on a machine with .NET
 * rewrites them), so the emulation is held to the real engine even where .NET is missing. The
 * real-engine cases skip, saying why, without .NET; CI has it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { webUtilityUrlEncode } from '../../../devhost/durable/management/management-urls';
import { enginesHere, useEngineHost } from './engine-host';
import { ENGINE_SCENARIOS } from './engine-scenarios';
import { comparedHistory, type ComparedEvent } from './history-shape';

const HISTORIES_DIR = path.join(__dirname, '../../fixtures/histories/dtfx');

interface Recording {
  scenario: string;
  engine: 'dtfx';
  extension: string;
  compared: ComparedEvent[];
  history: Record<string, unknown>[];
}

function sortedIf(orderFree: boolean | undefined, events: ComparedEvent[]): ComparedEvent[] {
  if (!orderFree) return events;
  return [...events].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe.each(enginesHere())('durable scenarios on the %s engine', (engine) => {
  const h = useEngineHost(engine);

  for (const scenario of ENGINE_SCENARIOS) {
    it(`${scenario.title}, with the real engine's history`, async () => {
      const id = await scenario.run(h(), scenario.name);
      const status = await h().status(id, '?showHistory=true&showHistoryOutput=true');
      const history = status?.historyEvents ?? [];
      const compared = comparedHistory(history);
      const file = path.join(HISTORIES_DIR, `${scenario.name}.json`);
      if (engine === 'dtfx' && process.env.RECORD_HISTORIES === '1') {
        const recording: Recording = {
          scenario: scenario.name,
          engine: 'dtfx',
          extension: 'Microsoft.Azure.WebJobs.Extensions.DurableTask 3.19.0',
          compared,
          history,
        };
        fs.mkdirSync(HISTORIES_DIR, { recursive: true });
        fs.writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`);
      }
      if (!fs.existsSync(file)) {
        throw new Error(`${file} is missing: record it with RECORD_HISTORIES=1 on a machine with .NET.`);
      }
      const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as Recording;
      const expected =
        engine === 'emulated' && scenario.emulated
          ? scenario.emulated.expected(recorded.compared)
          : recorded.compared;
      expect(sortedIf(scenario.orderFree, compared)).toEqual(sortedIf(scenario.orderFree, expected));
    });
  }

  // What the real extension answers to calls that are refused (issue 10, divergences 3 and 7, now
  // the same on the emulation): the client calls throw on Azure.
  it('refuses to suspend a suspended instance, resume a running one, or purge one that has not ended', async () => {
    /** What a refused client call answers: durable-functions throws, and clientOp answers 500 with the error. */
    const refusal = async (op: string, args: unknown): Promise<string> => {
      const answer = await h().clientOp(op, { instanceId: id, ...(args as object) });
      expect(answer.status).toBe(500);
      return JSON.stringify(answer.body);
    };
    const id = await h().start('waitForApproval', null, 'refusals');
    await h().waitFor(id, (s) => s.runtimeStatus === 'Running', 'running');
    expect(await refusal('resume', { reason: 'r' })).toContain(
      `Cannot resume the orchestration instance ${id} because instance is in the Running state.`,
    );
    const purgeRunning = await refusal('purge', {});
    expect(purgeRunning).toContain('unexpected status code: 412');
    expect(purgeRunning).toContain(
      `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${id} has status Running`,
    );
    expect((await h().clientOp('suspend', { instanceId: id, reason: 's' })).status).toBe(200);
    await h().waitFor(id, (s) => s.runtimeStatus === 'Suspended', 'suspended');
    expect(await refusal('suspend', { reason: 's' })).toContain(
      `Cannot suspend the orchestration instance ${id} because instance is in the Suspended state.`,
    );
    expect(await refusal('purge', {})).toContain('has status Suspended');
    expect((await h().status(id))?.runtimeStatus).toBe('Suspended');
  });

  it('serves createCheckStatusResponse URLs on the front door that answer the status', async () => {
    const id = await h().start('activityChain', 'check', 'check-status');
    await h().finished(id);
    const check = await h().clientOp('checkStatus', { instanceId: id });
    expect(check.status).toBe(202);
    const links = check.body as { statusQueryGetUri: string; sendEventPostUri: string };
    expect(links.statusQueryGetUri).toBe(
      `${h().host.baseUrl}/runtime/webhooks/durabletask/instances/${id}?taskHub=ConformanceHub&connection=Storage&code=${webUtilityUrlEncode(h().host.masterKey)}`,
    );
    // The URL works as handed out: it carries the key the management API demands.
    const asHandedOut = await fetch(links.statusQueryGetUri);
    expect(asHandedOut.status).toBe(200);
    const withoutKey = await fetch(links.statusQueryGetUri.replace(/&code=[^&]*/, ''));
    expect(withoutKey.status).toBe(401);
    const res = await fetch(links.statusQueryGetUri, { headers: { 'x-functions-key': h().host.masterKey } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ instanceId: id, runtimeStatus: 'Completed' });
  });
});
