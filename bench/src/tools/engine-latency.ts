/**
 * Measures what a chat user waits for on each durable engine: the per-turn overhead of a reply
 * (reply sent -> the next question asked, with a model that answers at once), and the same for a
 * reply that arrives after the run has been idle (the Azure Storage backend backs its queue polling
 * off while idle, up to maxQueuePollingInterval).
 *
 *   npm run build && cd bench && node --import tsx src/tools/engine-latency.ts --engine dtfx --idle-seconds 60 --turns 10
 *     [--poll 00:00:30]   maxQueuePollingInterval for this run (default: the sample's host.json)
 *     [--second-host]     also start a second local host (a CLI child process) on the same task hub
 *                         and Azurite, and send the after-idle replies through it: in Azure a reply
 *                         reaches whichever instance the load balancer picks, and only the instance
 *                         that owns the run's partition polls its queue
 *     [--idle-runs 4]     how many runs wait idle at once (each reply is measured)
 *
 * Prints one JSON line with the figures (ms). bench/README.md has the latest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHost, type EngineKind } from '../../../dist/devhost/host.js';
import { startScriptedModelServer } from '../../../src/testing';
import { summarize } from '../measure/stats';
import { APP_DIR, PROJECT_DIR } from '../ours/bench-app-host';

type Started = { runId: string; token: string; statusUri: string; respondUri: string };
type Status = { state: string; pendingRequest: { requestId: string } | null };

async function json<T>(url: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls (every 10 ms, up to 5 min) until the run asks a question other than `previous`. */
async function nextQuestion(run: Started, previous: string | undefined): Promise<string> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const { body } = await json<Status>(run.statusUri, run.token);
    const id = body.pendingRequest?.requestId;
    if (body.state === 'awaiting_input' && id && id !== previous) return id;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('No question within 5 minutes.');
}

/** Starts the CLI on the same app, task hub and storage; resolves with its base URL once it serves. */
function startSecondHost(env: NodeJS.ProcessEnv): Promise<{ baseUrl: string; child: ChildProcess }> {
  const cli = join(PROJECT_DIR, 'dist', 'devhost', 'cli.js');
  const { PORT: _port, ...rest } = env;
  const child = spawn(
    process.execPath,
    [
      cli,
      '--app',
      APP_DIR,
      '--port',
      '0',
      '--storage',
      'memory',
      '--engine',
      'dtfx',
      '--log-level',
      'warning',
    ],
    { env: rest, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`The second host did not start:\n${out}`)), 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const baseUrl = /Base URL: (http:\/\/\S+)/.exec(out)?.[1];
      if (baseUrl && out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ baseUrl, child });
      }
    });
    child.once('exit', (code) => reject(new Error(`The second host exited (${code}):\n${out}`)));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'dtfx' },
      'idle-seconds': { type: 'string', default: '60' },
      turns: { type: 'string', default: '10' },
      poll: { type: 'string' },
      'second-host': { type: 'boolean', default: false },
      'idle-runs': { type: 'string', default: '4' },
    },
  });
  const engine = values.engine as EngineKind;
  const turns = Number(values.turns);
  const idleMs = Number(values['idle-seconds']) * 1000;
  const model = await startScriptedModelServer({ responder: () => ({ text: 'Anything else?' }) });
  const host = await startHost({
    appDir: APP_DIR,
    port: 0,
    storage: 'memory',
    engine,
    log: () => undefined,
    recordEpisodes: false,
    env: {
      DURABLE_HANDOFF_TASK_HUB: 'LatencyHub',
      DURABLE_HANDOFF_TOKEN_SECRET: 'engine-latency-token-secret-0123456789',
      OPENAI_BASE_URL: model.baseUrl,
      OPENAI_API_KEY: 'not-a-secret',
      OPENAI_MODEL: 'scripted-model',
      AZURE_OPENAI_ENDPOINT: '',
      AZURE_OPENAI_DEPLOYMENT: '',
      ...(values.poll
        ? { AzureWebJobs__extensions__DurableTask__storageProvider__maxQueuePollingInterval: values.poll }
        : {}),
    },
  });
  let second: { baseUrl: string; child: ChildProcess } | undefined;
  try {
    if (values['second-host']) second = await startSecondHost(process.env);
    const wf = `${host.baseUrl}/api/workflows/customer_support`;
    // The sample's runs end after six messages, so each measured reply is the first of a new run.
    const newRun = async (): Promise<{ run: Started; question: string }> => {
      const started = await fetch(`${wf}/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Hello' }),
      });
      const run = (await started.json()) as Started;
      return { run, question: await nextQuestion(run, undefined) };
    };
    const reply = async (
      { run, question }: { run: Started; question: string },
      via = host.baseUrl,
    ): Promise<number> => {
      const at = performance.now();
      const respondUri = run.respondUri.replace(host.baseUrl, via);
      const sent = await json(respondUri, run.token, { message: 'More', requestId: question });
      if (sent.status !== 202) throw new Error(`reply answered ${sent.status}`);
      await nextQuestion(run, question);
      return performance.now() - at;
    };
    const perTurn: number[] = [];
    for (let i = 0; i < turns; i++) perTurn.push(await reply(await newRun()));
    const idleRuns = [];
    for (let i = 0; i < Number(values['idle-runs']); i++) idleRuns.push(await newRun());
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const afterIdle = await Promise.all(idleRuns.map((run) => reply(run, second?.baseUrl ?? host.baseUrl)));
    const turnStats = summarize(perTurn);
    process.stdout.write(
      `${JSON.stringify({
        engine,
        maxQueuePollingInterval: values.poll ?? 'host.json',
        turns,
        perTurnMedianMs: Math.round(turnStats.median),
        perTurnMaxMs: Math.round(turnStats.max),
        idleSeconds: idleMs / 1000,
        repliesVia: second ? 'a second host' : 'the same host',
        replyAfterIdleMs: afterIdle.map((ms) => Math.round(ms)),
      })}\n`,
    );
  } finally {
    second?.child.kill('SIGTERM');
    await host.stop();
    await model.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
