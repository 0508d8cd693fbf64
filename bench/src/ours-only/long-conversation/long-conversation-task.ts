/**
 * The long-conversation task (run in an ours-only child process): hosts the app on the local host
 * (memory storage, episodes recorded) against a scripted model that never ends the conversation,
 * runs two autonomous conversations of 66 agent turns (answers of 600 and of 120 characters),
 * computes history growth per turn from their recordings, and times the orchestrator's replay of
 * the episodes that receive turns 5, 20, 45, 60 and 65.
 */
import { startScriptedModelServer } from '../../../../src/testing';
import type { OrchestrationRecording } from '../../../../dist/devhost/durable/index.js';
import { BenchError } from '../../bench-error';
import { BENCH_API_KEY, BENCH_MODEL } from '../../model-server/bench-model-server';
import { BENCH_TASK_HUB, type BenchAppHost, startBenchAppHost } from '../../ours/bench-app-host';
import { type HostedAppModules, hostedAppModules } from '../../ours/hosted-app-modules';
import type { PhaseRounds } from '../../measure/sequential-phase';
import { summarize } from '../../measure/stats';
import type { OursOnlySamples } from '../ours-only-measurement';
import { historyGrowthPerTurn, totalHistoryBytes, turnEpisodes, type TurnGrowth } from '../history-growth';
import { pairedReplayRatios, timeTurnReplays, type TurnReplayTimes } from './replay-timing';
import { createLongConversationResponder, LONG_CONVERSATION_MESSAGE } from './long-conversation-responder';
import {
  buildLongConversationWorkflow,
  LONG_CONVERSATION_WORKFLOW,
  registerInHostedApp,
} from './long-conversation-workflow';

/** Agent turns per conversation: turn 65 is the 5th of its generation (7 with the default 10 turns each), and its episode is an ordinary one. */
export const LONG_CONVERSATION_TURNS = 66;
/** A typical support answer (about 100 words), and a short one like the scenarios' answers. */
export const ANSWER_LENGTHS = { typical: 600, short: 120 } as const;
/** The turns whose episodes are replayed. */
export const REPLAYED_TURNS = [5, 20, 45, 60, 65] as const;
/** How the figures are attributed. */
const FRAMEWORK = 'durable-handoff';
const RUN_DEADLINE_MS = 300_000;

interface Conversation {
  recording: OrchestrationRecording;
  turns: TurnGrowth[];
  totalHistoryBytes: number;
}

async function converse(
  host: BenchAppHost,
  app: HostedAppModules,
  runId: string,
  agentTurnActivity: string,
): Promise<Conversation> {
  const workflow = app.workflows.workflowRegistry.get(LONG_CONVERSATION_WORKFLOW);
  const input = app.startRun.buildRunInput(workflow, {
    message: LONG_CONVERSATION_MESSAGE,
    runId,
    mode: 'autonomous',
  });
  await host.engine.client.startNew(app.names.HANDOFF_ORCHESTRATOR, { instanceId: runId, input });
  const status = await host.engine.client.waitFor(
    runId,
    (s) => s.runtimeStatus === 'Completed' || s.runtimeStatus === 'Failed',
    {
      timeoutMs: RUN_DEADLINE_MS,
    },
  );
  const output = status.output as { turns?: unknown; stopReason?: unknown } | null;
  if (
    status.runtimeStatus !== 'Completed' ||
    output?.turns !== LONG_CONVERSATION_TURNS ||
    output.stopReason !== 'turn_limit'
  ) {
    throw new BenchError(
      'run_mismatch',
      `The long conversation ${runId} ended ${status.runtimeStatus} with ${JSON.stringify(output).slice(0, 300)}; expected ${LONG_CONVERSATION_TURNS} turns and stop reason turn_limit.`,
    );
  }
  const recording = await host.engine.recording(runId);
  const turns = historyGrowthPerTurn(recording, agentTurnActivity, await storedTranscript(app, runId));
  if (turns.length !== LONG_CONVERSATION_TURNS) {
    throw new BenchError(
      'run_mismatch',
      `The recording of ${runId} shows ${turns.length} agent turns, expected ${LONG_CONVERSATION_TURNS}.`,
    );
  }
  return { recording, turns, totalHistoryBytes: totalHistoryBytes(recording, agentTurnActivity) };
}

/**
 * The run's transcript as the run store holds it (the orchestration output does not carry it): the
 * `!msg-<index>` rows of the events table since #16, the messages table before.
 */
async function storedTranscript(app: HostedAppModules, runId: string): Promise<unknown[]> {
  const { TableClient } = await import('@azure/data-tables');
  const connectionString = process.env.AzureWebJobsStorage ?? '';
  const read = async (table: string, filter: string, prefix: string): Promise<unknown[]> => {
    const client = TableClient.fromConnectionString(connectionString, table, {
      allowInsecureConnection: true,
    });
    const messages: unknown[] = [];
    for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      messages[Number((row.rowKey ?? '').slice(prefix.length))] = app.entityPayload.decodePayload(row);
    }
    return messages;
  };
  const current = await read(
    `${BENCH_TASK_HUB}Events`,
    `PartitionKey eq '${runId}' and RowKey ge '!msg-' and RowKey lt '!msg.'`,
    '!msg-',
  );
  if (current.length > 0) return current;
  return read(`${BENCH_TASK_HUB}Messages`, `PartitionKey eq '${runId}'`, '');
}

async function checkRegistered(host: BenchAppHost): Promise<void> {
  const response = await fetch(`${host.api}/workflows`);
  const text = await response.text();
  if (!text.includes(LONG_CONVERSATION_WORKFLOW)) {
    throw new BenchError(
      'framework_failed',
      `The hosted app does not list ${LONG_CONVERSATION_WORKFLOW} after it was registered (GET /api/workflows answered ${response.status}: ${text.slice(0, 200)}); the bench registered it in another module instance.`,
    );
  }
}

const median = (values: readonly number[]): number => summarize(values).median;

function growthSamples(typical: Conversation, short: Conversation): OursOnlySamples[] {
  const ratio = (turn: TurnGrowth) => turn.historyBytes / turn.newContentBytes;
  const sum = (turns: readonly TurnGrowth[], pick: (turn: TurnGrowth) => number) =>
    turns.reduce((total, turn) => total + pick(turn), 0);
  const h1 = median(typical.turns.map((turn) => turn.historyBytes));
  const c1 = median(typical.turns.map((turn) => turn.newContentBytes));
  const h2 = median(short.turns.map((turn) => turn.historyBytes));
  const c2 = median(short.turns.map((turn) => turn.newContentBytes));
  const slope = (h1 - h2) / (c1 - c2);
  const continued = typical.recording.executions.slice(1).map((execution) => {
    const started = execution.episodes[0]?.payload.history.find((event) => event.EventType === 0);
    return started !== undefined && 'Input' in started ? Buffer.byteLength(started.Input ?? '') : 0;
  });
  const typicalNote = `${LONG_CONVERSATION_TURNS} autonomous turns, ${ANSWER_LENGTHS.typical}-character answers, one sample per turn`;
  return [
    {
      figure: 'history_bytes_per_turn',
      framework: FRAMEWORK,
      samples: typical.turns.map((t) => t.historyBytes),
      note: typicalNote,
    },
    {
      figure: 'new_content_bytes_per_turn',
      framework: FRAMEWORK,
      samples: typical.turns.map((t) => t.newContentBytes),
      note: typicalNote,
    },
    {
      figure: 'history_bytes_vs_new_content',
      framework: FRAMEWORK,
      samples: typical.turns.map(ratio),
      note: typicalNote,
    },
    {
      figure: 'history_bytes_vs_new_content_amortized',
      framework: FRAMEWORK,
      samples: [typical.totalHistoryBytes / sum(typical.turns, (t) => t.newContentBytes)],
      note: `${typical.totalHistoryBytes} history bytes over the whole conversation (start and finish included) / the new content of its ${LONG_CONVERSATION_TURNS} turns`,
    },
    {
      figure: 'history_bytes_vs_new_content_short_answers',
      framework: FRAMEWORK,
      samples: short.turns.map(ratio),
      note: `${LONG_CONVERSATION_TURNS} autonomous turns, ${ANSWER_LENGTHS.short}-character answers, one sample per turn`,
    },
    {
      figure: 'history_fixed_bytes_per_turn',
      framework: FRAMEWORK,
      samples: [h1 - slope * c1],
      note: `median history bytes per turn ${h1.toFixed(0)} at ${c1.toFixed(0)} content bytes and ${h2.toFixed(0)} at ${c2.toFixed(0)}: intercept of the line through both`,
    },
    {
      figure: 'history_bytes_per_content_byte',
      framework: FRAMEWORK,
      samples: [slope],
      note: 'slope of the same line: how many times each byte of new content is written to history',
    },
    {
      figure: 'continue_as_new_input_bytes',
      framework: FRAMEWORK,
      samples: continued,
      note: `ExecutionStarted input of generations 2..${typical.recording.executions.length} (turns 21, 41, 61): ${continued.join(', ')} bytes`,
    },
  ];
}

function replaySamples(times: readonly TurnReplayTimes[]): OursOnlySamples[] {
  const at = (turn: number): TurnReplayTimes => {
    const found = times.find((candidate) => candidate.turn === turn);
    if (found === undefined) throw new BenchError('run_mismatch', `No replay times for turn ${turn}.`);
    return found;
  };
  const note = (time: TurnReplayTimes) =>
    `episode replaying ${time.historyLength} history events (${time.payloadBytes} payload bytes), ${time.samples.length} timed replays`;
  const perTurn = (turn: 5 | 20 | 45 | 60 | 65): OursOnlySamples => ({
    figure: `replay_ms_per_turn_at_turn_${turn}`,
    framework: FRAMEWORK,
    samples: at(turn).samples,
    note: note(at(turn)),
  });
  const paired = 'per round, both timed back to back';
  return [
    perTurn(5),
    perTurn(20),
    perTurn(45),
    perTurn(60),
    perTurn(65),
    {
      figure: 'replay_growth_turn_60_vs_5',
      framework: FRAMEWORK,
      samples: pairedReplayRatios(at(60), at(5)),
      note: paired,
    },
    {
      figure: 'replay_growth_turn_65_vs_5',
      framework: FRAMEWORK,
      samples: pairedReplayRatios(at(65), at(5)),
      note: paired,
    },
    {
      figure: 'replay_growth_turn_60_vs_20',
      framework: FRAMEWORK,
      samples: pairedReplayRatios(at(60), at(20)),
      note: paired,
    },
  ];
}

/** Runs the task and returns its samples; stops everything it started. */
export async function longConversationTask(rounds: PhaseRounds): Promise<OursOnlySamples[]> {
  let answerLength: number = ANSWER_LENGTHS.typical;
  const model = await startScriptedModelServer({
    responder: (request) => createLongConversationResponder(answerLength)(request),
    models: [BENCH_MODEL],
  });
  let host: BenchAppHost | undefined;
  try {
    host = await startBenchAppHost({
      storage: 'memory',
      model: { baseUrl: model.baseUrl, apiKey: BENCH_API_KEY, model: BENCH_MODEL },
      recordEpisodes: true,
      label: 'durable-handoff (long conversation)',
    });
    const app = hostedAppModules();
    registerInHostedApp(app, buildLongConversationWorkflow(app, LONG_CONVERSATION_TURNS));
    await checkRegistered(host);
    const activity = app.agentTurnActivity.agentTurnActivity.name;
    const typical = await converse(host, app, `long-${ANSWER_LENGTHS.typical}`, activity);
    answerLength = ANSWER_LENGTHS.short;
    const short = await converse(host, app, `long-${ANSWER_LENGTHS.short}`, activity);
    if (model.failures.length > 0) {
      throw new BenchError(
        'unexpected_model_call',
        model.failures.map((failure) => failure.message).join('; '),
      );
    }
    const times = await timeTurnReplays(
      host.host.worker,
      typical.recording,
      turnEpisodes(typical.recording, activity),
      REPLAYED_TURNS,
      rounds,
    );
    return [...growthSamples(typical, short), ...replaySamples(times)];
  } finally {
    await host?.stop();
    await model.close();
  }
}
