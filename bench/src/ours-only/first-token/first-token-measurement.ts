/**
 * Time to first visible token: from the moment the model server writes the first chunk of an
 * answer that carries text, to the moment an SSE client of the run's event stream receives the
 * first `agent_response_delta` of that answer; for a reader on the instance that runs the agent
 * turn (the in-process channel) and for a reader on another instance (the run store's copy).
 *
 * Two local hosts, each its own process, share one Azurite with the emulated durable engine; host A
 * runs the runs, host B only serves event streams. The scripted model server and both SSE clients
 * live in this process, so one clock times them all. Runs go one at a time: the coordinator hands
 * off; the shipping agent waits `thinkMs` plus a random part of a poll interval (both streams are
 * open and polling by then, and the answer starts at a random point of the other instance's poll
 * cycle, as it would in use), then streams its answer in pieces `chunkMs` apart.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../../../dist/devhost/azurite/ports.js';
import { startAzurite } from '../../../../dist/devhost/durable/index.js';
import { readSse } from '../../../../src/client/read-sse';
import { startScriptedModelServer, type ScriptedModelServer } from '../../../../src/testing';
import { BenchError } from '../../bench-error';
import type { OursOnlyMeasurement } from '../ours-only-measurement';
import { startCliHost, stopCliHost, type CliHost } from './cli-hosts';

/** Mentions a delivery: the sample workflow's condition ends the run after it. */
const ANSWER =
  "I've located your package for order #12345: it left our depot this morning and will be delivered within 2 business days. No action is needed on your part.";

/** The app's default poll interval of event streams (DURABLE_HANDOFF_SSE_POLL_MS). */
const DEFAULT_POLL_MS = 500;

/** How the measurement runs. */
export interface FirstTokenOptions {
  runs: number;
  warmup: number;
  /** The model's wait before it starts its answer (default 1000 ms). */
  thinkMs?: number;
  /** The pause between the answer's pieces (default 40 ms). */
  chunkMs?: number;
  /** DURABLE_HANDOFF_SSE_POLL_MS of both hosts; the app's default (500) when absent. */
  pollMs?: number;
  log?: (line: string) => void;
}

/** One run's times, in ms from the model's first text chunk. */
export interface FirstTokenSample {
  sameInstanceMs: number;
  otherInstanceMs: number;
}

/** When a stream received its first delta (undefined: none came before the run's end). */
async function firstDeltaAt(url: string, token: string, signal: AbortSignal): Promise<number | undefined> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok || response.body === null) {
    throw new BenchError('framework_failed', `GET ${url} answered ${response.status}`);
  }
  let first: number | undefined;
  for await (const message of readSse(response.body)) {
    const type = (JSON.parse(message.data) as { type: string }).type;
    if (type === 'agent_response_delta') first ??= performance.timeOrigin + performance.now();
    if (type === 'output') break;
  }
  return first;
}

async function oneRun(model: ScriptedModelServer, hostA: CliHost, hostB: CliHost): Promise<FirstTokenSample> {
  const before = model.requests.length;
  const started = await fetch(`${hostA.api}/workflows/customer_support/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'Where is my order #12345?', mode: 'autonomous' }),
  });
  if (started.status !== 202) {
    throw new BenchError('framework_failed', `start answered ${started.status}: ${await started.text()}`);
  }
  const run = (await started.json()) as { runId: string; token: string };
  const path = `/workflows/customer_support/events/${run.runId}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error('the run took longer than 60 s')), 60_000);
  try {
    const [onA, onB] = await Promise.all([
      firstDeltaAt(`${hostA.api}${path}`, run.token, abort.signal),
      firstDeltaAt(`${hostB.api}${path}`, run.token, abort.signal),
    ]);
    const sent = model.requests
      .slice(before)
      .find((request) => request.agent === 'shipping_agent')?.firstTextSentAt;
    if (sent === undefined || onA === undefined || onB === undefined) {
      throw new BenchError(
        'framework_failed',
        `run ${run.runId}: no first text chunk or no delta (sent ${sent}, same instance ${onA}, other ${onB})`,
      );
    }
    return { sameInstanceMs: onA - sent, otherInstanceMs: onB - sent };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the measurement; stops everything it started. */
export async function measureFirstToken(options: FirstTokenOptions): Promise<FirstTokenSample[]> {
  const thinkMs = options.thinkMs ?? 1000;
  const chunkMs = options.chunkMs ?? 40;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-first-token-'));
  const azurite = await startAzurite({ location: dataDir });
  let model: ScriptedModelServer | undefined;
  let hostA: CliHost | undefined;
  let hostB: CliHost | undefined;
  try {
    model = await startScriptedModelServer({
      responder: (request) =>
        request.agent === 'coordinator_agent'
          ? { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] }
          : {
              delayMs: thinkMs + Math.floor(Math.random() * pollMs),
              then: { text: ANSWER, stream: { chunkDelayMs: chunkMs } },
            },
      models: ['bench-model'],
    });
    const env: Record<string, string> = {
      AZURE_FUNCTIONS_ENVIRONMENT: 'Development',
      DURABLE_HANDOFF_TASK_HUB: 'FirstTokenBench',
      DURABLE_HANDOFF_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      DURABLE_HANDOFF_START_AUTH_LEVEL: 'anonymous',
      // Every run starts from one address: the anonymous start limits would refuse them (429).
      DURABLE_HANDOFF_START_LIMIT_PER_CLIENT: '0',
      DURABLE_HANDOFF_START_LIMIT_PER_WORKFLOW: '0',
      OPENAI_BASE_URL: model.baseUrl,
      OPENAI_API_KEY: 'bench-key-not-a-secret',
      OPENAI_MODEL: 'bench-model',
      AZURE_OPENAI_ENDPOINT: '',
      AZURE_OPENAI_DEPLOYMENT: '',
      ...(options.pollMs !== undefined ? { DURABLE_HANDOFF_SSE_POLL_MS: String(options.pollMs) } : {}),
    };
    const [portA, portB] = await freePorts(2);
    // Both before any run: the emulated engine does not coordinate hosts (one started later would
    // take over the other's unfinished work at its start).
    [hostA, hostB] = await Promise.all([
      startCliHost(portA!, dataDir, env),
      startCliHost(portB!, dataDir, env),
    ]);
    const samples: FirstTokenSample[] = [];
    for (let i = 0; i < options.warmup + options.runs; i += 1) {
      const sample = await oneRun(model, hostA, hostB);
      if (i >= options.warmup) samples.push(sample);
      options.log?.(
        `first token, ${i < options.warmup ? 'warm-up' : `run ${i - options.warmup + 1}/${options.runs}`}: ` +
          `same instance ${sample.sameInstanceMs.toFixed(1)} ms, other instance ${sample.otherInstanceMs.toFixed(1)} ms`,
      );
    }
    return samples;
  } finally {
    await Promise.all([stopCliHost(hostA), stopCliHost(hostB)]);
    await model?.close();
    await azurite.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** At most this many runs in `npm run bench` (each takes about 1.5 s). */
export function firstTokenRuns(runs: number): number {
  return Math.max(2, Math.min(runs, 30));
}

/** The measurement as `npm run bench` runs it: the app's default poll interval. */
export const firstToken: OursOnlyMeasurement = {
  id: 'first-token',
  title: 'time to first visible token (streamed answers)',
  async measure({ rounds, log }) {
    const samples = await measureFirstToken({
      runs: firstTokenRuns(rounds.runs),
      warmup: Math.min(rounds.warmup, 3),
      log,
    });
    const note = `model's first text chunk -> SSE client's first delta; two hosts on one Azurite, poll ${DEFAULT_POLL_MS} ms`;
    return [
      {
        figure: 'first_token_ms_same_instance',
        framework: 'durable-handoff-azurite',
        samples: samples.map((sample) => sample.sameInstanceMs),
        note,
      },
      {
        figure: 'first_token_ms_other_instance',
        framework: 'durable-handoff-azurite',
        samples: samples.map((sample) => sample.otherInstanceMs),
        note,
      },
    ];
  },
};
