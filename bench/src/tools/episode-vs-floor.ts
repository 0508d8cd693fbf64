/**
 * Ours' orchestrator episode against the stack floor's, on the SAME recorded history: the committed
 * `chain` history (autonomous, one agent turn per episode, as the bench's `handoff` scenario), each
 * of its episodes replayed through the local host worker's `callOrchestrator` with the worker's
 * `handoffOrchestrator` swapped, per block, between:
 *
 * - `ours`: the app's orchestrator (`createHandoffOrchestrator` from `dist/`);
 * - `floor`: what the floor app's orchestrator does (`tests/fixtures/apps/stack-floor`): one
 *   `callActivity` per turn with a small input, nothing else;
 * - `floor+race`: the floor's loop, each turn as ours yields it: `callActivityWithRetry` raced
 *   against `waitForExternalEvent` (the cancel) with `Task.any`, and `setCustomStatus` per step;
 * - `floor+race+input`: that, with ours' input read (the reader) and ours' activity input sizes
 *   (the recorded turns' inputs taken from a run of `ours` first);
 * - `floor, its own sizes`: the floor's orchestrator on the history with the floor app's payload
 *   sizes (its small start input and turn results), as the floor app's episodes are.
 *
 * Durable matches tasks by sequence number, so every variant replays the recorded history. Blocks
 * rotate per round; the ratios pair the blocks of one round. Process CPU per episode.
 *
 * @example
 * ```sh
 * npm run build && cd bench && node --import tsx src/tools/episode-vs-floor.ts --rounds 40
 * ```
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { callOrchestrator } from '../../../dist/devhost/durable/engine/orchestrator-call.js';
import { AppWorker } from '../../../dist/devhost/worker/app-worker.js';
import { createOrchestrator, durableRetryOptions } from '../../../dist/src/durable/durable-functions-sdk.js';
import { createHandoffOrchestrator } from '../../../dist/src/durable/orchestrator/handoff-orchestrator.js';
import { OrchestrationInputReader } from '../../../dist/src/durable/orchestrator/orchestration-input-reader.js';
import { summarize } from '../measure/stats';
import { PROJECT_DIR } from '../ours/bench-app-host';

interface Recording {
  executions: { episodes: { payload: Parameters<typeof callOrchestrator>[2] }[] }[];
}

const ACTIVITY = 'handoffAgentTurn';

/** The floor's orchestrator: one plain activity call per turn (as `floor.js`), turns from the history. */
function floor(turns: number): OrchestrationHandler {
  return function* (context: OrchestrationContext): Generator<Task, unknown, unknown> {
    const input = context.df.getInput() as { runId: string };
    for (let turn = 1; turn <= turns; turn += 1) {
      yield context.df.callActivity(ACTIVITY, {
        runId: input.runId,
        agent: 'a',
        turn,
        message: 'm',
        trail: [],
      });
    }
    return { turns };
  };
}

/** The floor's loop with ours' per-turn task shape (retry, cancel race, custom status) and optionally ours' input work. */
function floorRace(turns: number, withInput: boolean, inputs: unknown[]): OrchestrationHandler {
  const reader = new OrchestrationInputReader();
  return function* (context: OrchestrationContext): Generator<Task, unknown, unknown> {
    const raw = context.df.getInput() as { runId: string };
    if (withInput) reader.read(raw);
    for (let turn = 1; turn <= turns; turn += 1) {
      context.df.setCustomStatus({ v: 1, state: 'running', turn });
      const options = durableRetryOptions(2000, 5);
      options.backoffCoefficient = 2;
      const task = context.df.callActivityWithRetry(
        ACTIVITY,
        options,
        withInput ? inputs[turn - 1] : { runId: raw.runId, agent: 'a', turn, message: 'm', trail: [] },
      );
      yield context.df.Task.any([task, context.df.waitForExternalEvent('cancel')]);
    }
    return { turns };
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '40' },
      warmup: { type: 'string', default: '5' },
      reps: { type: 'string', default: '20' },
      only: { type: 'string' },
    },
  });
  const worker = await AppWorker.start({ appDir: path.join(PROJECT_DIR, 'sample'), log: () => undefined });
  try {
    const entry = worker.get('handoffOrchestrator') as { callback?: unknown } | undefined;
    if (entry?.callback === undefined) throw new Error('The sample app registered no handoffOrchestrator.');
    const file = path.join(PROJECT_DIR, 'tests/fixtures/histories/handoff/chain.json');
    const recording = JSON.parse(readFileSync(file, 'utf8')) as Recording;
    const episodes = recording.executions.flatMap((execution) => execution.episodes.map((e) => e.payload));
    const turns = episodes.length - 1;

    // Ours' activity inputs, as its episodes schedule them (the last episode's actions hold every turn's).
    const oursHandler = createOrchestrator(createHandoffOrchestrator({ has: () => true, list: () => [] }));
    entry.callback = oursHandler;
    const last = (await callOrchestrator(worker, 'handoffOrchestrator', episodes.at(-1)!)) as unknown;
    const inputs = activityInputs(last);
    console.log(
      `ours' turn inputs, bytes: ${inputs.map((input) => JSON.stringify(input).length).join(', ')}`,
    );
    if (inputs.length < turns) throw new Error(`Found ${inputs.length} activity inputs, expected ${turns}.`);

    const floorSized = episodes.map(floorSizedPayload);
    const variants: Record<string, unknown> = {
      ours: oursHandler,
      'floor, its own sizes': createOrchestrator(floor(turns)),
      floor: createOrchestrator(floor(turns)),
      'floor+race': createOrchestrator(floorRace(turns, false, inputs)),
      'floor+race+input': createOrchestrator(floorRace(turns, true, inputs)),
    };
    const names = values.only ? values.only.split(',') : Object.keys(variants);
    if (!names.includes('floor')) names.push('floor');
    const perEpisode = new Map<string, number[]>(names.map((n) => [n, []]));
    const reps = Number(values.reps);
    const rounds = Number(values.rounds) + Number(values.warmup);
    for (let round = 0; round < rounds; round += 1) {
      for (let i = 0; i < names.length; i += 1) {
        const name = names[(round + i) % names.length]!;
        entry.callback = variants[name];
        const start = process.cpuUsage();
        const replayed = name === 'floor, its own sizes' ? floorSized : episodes;
        for (let r = 0; r < reps; r += 1) {
          for (const payload of replayed) await callOrchestrator(worker, 'handoffOrchestrator', payload);
        }
        const used = process.cpuUsage(start);
        if (round >= Number(values.warmup))
          perEpisode.get(name)!.push((used.user + used.system) / 1000 / (reps * episodes.length));
      }
    }
    const os = await import('node:os');
    console.log(
      `chain history: ${episodes.length} episodes (${turns} turns), ${reps} replays of each per block, load ${os.loadavg()[0]!.toFixed(2)}`,
    );
    const floorMs = perEpisode.get('floor')!;
    for (const name of names) {
      const ms = perEpisode.get(name)!;
      const s = summarize(ms);
      const ratio = summarize(ms.map((v, i) => v / floorMs[i]!));
      console.log(
        `  ${name.padEnd(18)} CPU ms per episode ${s.median.toFixed(3)} (p10 ${s.p10.toFixed(3)}, p90 ${s.p90.toFixed(3)}); / floor ${ratio.median.toFixed(2)} (${ratio.p10.toFixed(2)}-${ratio.p90.toFixed(2)})`,
      );
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * The episode's payload with the floor app's sizes: its start input (`{ message, runId }`) in place of
 * ours' 1 KB orchestration input, and a floor turn's result in place of each recorded turn result.
 */
function floorSizedPayload(
  payload: Parameters<typeof callOrchestrator>[2],
): Parameters<typeof callOrchestrator>[2] {
  const small = JSON.stringify({ message: 'Refund me, the app keeps crashing', runId: 'chain' });
  const copy = JSON.parse(JSON.stringify(payload)) as { input?: unknown; history: Record<string, unknown>[] };
  if ('input' in copy) copy.input = JSON.parse(small);
  for (const event of copy.history) {
    if (event.EventType === 0) event.Input = small;
    if (event.EventType === 5)
      event.Result = JSON.stringify({
        agent: 'coordinator_agent',
        handoffTo: 'refund_agent',
        callId: 'call_1',
      });
  }
  return copy as unknown as Parameters<typeof callOrchestrator>[2];
}

/** The scheduled activities' inputs in an orchestrator state (actions are nested in groups and compound tasks). */
function activityInputs(state: unknown): unknown[] {
  const found: unknown[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const action = node as {
      functionName?: unknown;
      input?: unknown;
      compoundActions?: unknown;
      actions?: unknown;
    };
    if (action.functionName === ACTIVITY) found.push(action.input);
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  visit(typeof state === 'string' ? JSON.parse(state) : state);
  return found;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
