import type { InvocationContext } from '@azure/functions';
import { DurableHandoffError, ModelCallError, WorkflowInputError } from '../../core/errors';
import { toConversation, type TranscriptMessage } from '../../core/messages';
import type { ChatModel } from '../../core/model';
import type { FunctionTool } from '../../core/tool';
import type { AgentTurnResult } from '../../core/turn-result';
import type { AgentDefinition } from '../../core/agent';
import { runAgentTurn, turnWarningsOf } from '../../model/agent-turn/run-agent-turn';
import type { TurnJournal } from '../../model/agent-turn/turn-journal';
import type { LivePreviewChannel } from '../preview/live-preview-channel';
import { PreviewPublisher } from '../preview/preview-publisher';
import { runStoreKey } from '../wire/run-instance';
import type { OpenedTurn, RunStore, TurnSlot } from '../store/run-store';
import { readAgentTurnInput, tryReadAgentTurnInput } from '../wire/agent-turn-input-reader';
import {
  CommittedTurnSchema,
  type AgentTurnInput,
  type AgentTurnOutput,
  type CompletedTurn,
  type PausedTurn,
} from '../wire/agent-turn-activity';
import { retryableFailureMessage } from '../wire/retryable-failure';
import { agentTurnEvents, definitionChangedWarning, numberEvents } from '../wire/turn-events';
import { TURN_ATTEMPTS, turnRetriesAfter, turnRetryDelayMs } from '../wire/turn-retry';
import { userMessagesOf } from '../wire/user-messages';
import type { WorkflowSource } from '../workflow-source';
import { allSettled } from './all-settled';
import { classifyActivityError } from './classify-activity-error';
import { runStoreJournal, type RunStoreJournal } from './run-store-journal';
import type { TranscriptCache } from './transcript-cache';
import type { EndedConversations } from '../store/ended-conversations';
import { summarizeTurn } from './summarize-turn';
import type { HandoffTelemetry, TurnTelemetry } from '../../telemetry/handoff-telemetry';
import { reportHumanWaits } from './human-waits';
import { turnLogLine } from './turn-log-line';
import { closingInCommit } from './closing-events';
import { CLOSED_BY_TURN, turnEndsRun } from '../wire/run-closing';
import type { TurnPreview } from '../preview/turn-preview';
import { TurnOpening } from './turn-opening';

/** Waits a model asks for that are longer than Durable's first retry (2 s) are honoured by the orchestrator. */
const DURABLE_FIRST_RETRY_MS = 2000;

function longRetryAfter(error: unknown): number | undefined {
  if (!DurableHandoffError.isInstance(error) || !error.isRetryable) return undefined;
  const wait = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof wait === 'number' && wait > DURABLE_FIRST_RETRY_MS ? wait : undefined;
}

/** A model call that failed in a way a retry may fix (not a journal conflict, not storage). */
function isModelFailure(error: unknown): error is ModelCallError {
  return error instanceof ModelCallError && error.isRetryable;
}

/** The input, when it parsed and is of the current shape (the orchestrator can retry those). */
function currentInput(rawInput: unknown): AgentTurnInput | undefined {
  const parsed = tryReadAgentTurnInput(rawInput);
  return parsed && 'schemaVersion' in parsed ? parsed : undefined;
}

/** A field of an input that may not have parsed, for log lines. */
function rawField(input: unknown, name: 'runId' | 'turn'): string {
  const value = (input as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '?';
}

/** What the agent-turn activity needs; resolved lazily so configuration is read at use, not import. */
export interface AgentTurnDeps {
  workflows: WorkflowSource;
  store: () => RunStore;
  model: () => Promise<ChatModel>;
  /** Stamps the events a turn writes (default: the wall clock): they happen when the turn ends. */
  now?: () => Date;
  /**
   * The agent's tools for this turn (default: its own): where tools from MCP servers join them. The
   * warnings (a server that could not list its tools, say) become the turn's warnings.
   */
  tools?: (
    agent: AgentDefinition,
  ) => Promise<{ tools: readonly FunctionTool[]; warnings: readonly { code: string; message: string }[] }>;
  /** This process's channel of answer previews (its event streams listen there). */
  previews?: () => LivePreviewChannel;
  /** The app's spans and metrics: each attempt is an `invoke_agent` span under the run's trace. */
  telemetry?: () => Promise<HandoffTelemetry>;
  /** Transcripts this process already holds: a turn reads only the messages added since. None: read them all. */
  transcripts?: TranscriptCache;
  /** Where this process keeps the conversations of runs that ended (a turn that ends its run adds one). */
  ended?: EndedConversations;
  /**
   * Whether a turn's first attempt defers storing its input (`turn-opening.ts`): one request per
   * turn. Only an attempt that `transcripts` shows to be the first of its turn in this process
   * defers (see {@link TranscriptCache.beginAttempt}); any other stores its input first. Default: no.
   */
  deferOpening?: () => boolean;
  /** How long a deferred first attempt runs before it stores its input anyway (default 200 ms). */
  openingDelayMs?: number;
}

/** A table transaction's most operations (the Table service's limit). */
const TRANSACTION_OPERATIONS = 100;

/**
 * Thrown where a deferred first attempt was about to act on what it received and its opening found
 * an earlier attempt's input: the attempt runs again from what the opening read.
 */
class RunAgain extends Error {
  constructor(readonly opened: OpenedTurn) {
    super(
      'An earlier attempt of this agent turn stored its input first; the turn runs again from its records.',
    );
  }
}

/**
 * Whether an opening that found an earlier attempt's input also found something it left: a slot,
 * or recorded steps. When not, a deferred attempt has nothing to replay and goes on as it was.
 */
function hasRecords(opened: OpenedTurn): boolean {
  return opened.slot !== undefined || opened.steps.size > 0;
}

/** What one run of a turn came to: its output, or a run again from the records an opening read. */
type RunOutcome = { output: AgentTurnOutput } | { runAgain: OpenedTurn };

/** `journal`, noting its replays on the turn's span when there is one. */
function traced(spans: TurnTelemetry | undefined, journal: TurnJournal): TurnJournal {
  return spans ? spans.journal(journal) : journal;
}

/** What an attempt returns when the run ended while it ran: the orchestrator never reads it. */
const ABANDONED: AgentTurnOutput = {
  ok: false,
  error: {
    marker: 'durable-handoff.error',
    name: 'Error',
    code: 'turn_abandoned',
    message: 'The run ended while this agent turn ran; the turn wrote nothing.',
    isRetryable: false,
  },
};

type Completed = Extract<AgentTurnResult, { kind: 'completed' }>;
type Paused = Extract<AgentTurnResult, { kind: 'awaiting_approval' }>;

/** The summary history records of a turn that stopped for approvals and wrote `events` events. */
function pausedTurn(result: Paused, events: number): PausedTurn {
  return {
    kind: 'awaiting_approval',
    messageCount: result.messages.length,
    events,
    pending: result.pending,
    usage: result.usage,
  };
}

/** The summary history records of a completed turn that wrote `events` events. */
function completedTurn(
  input: AgentTurnInput,
  result: Completed,
  events: number,
  redeployed: boolean,
): CompletedTurn {
  const texts = result.messages.flatMap((m) =>
    m.role === 'assistant' && m.text.trim() !== '' ? [m.text] : [],
  );
  // The orchestrator asks the human with the last answer; a redeploy may change whether it does.
  const asks = result.decision.kind === 'respond' && !result.terminate && (input.wantsPrompt || redeployed);
  return {
    kind: 'completed',
    messageCount: result.messages.length,
    events,
    decision: result.decision,
    terminate: result.terminate,
    usage: result.usage,
    ...(asks ? { prompt: texts.at(-1) ?? '' } : {}),
  };
}

/**
 * A turn whose slot is taken: an earlier attempt committed it (its outcome is the turn's, and its
 * messages are put back, in case this attempt overwrote them), or the run ended and closed it.
 */
async function settledTurn(
  store: RunStore,
  key: string,
  messagesAt: number,
  slot: TurnSlot,
  /** Called with the committed messages once they are stored again. */
  settled?: (messages: readonly TranscriptMessage[]) => void,
): Promise<AgentTurnOutput> {
  if (slot.kind === 'closed') return ABANDONED;
  const committed = CommittedTurnSchema.parse(slot.record);
  await store.saveMessages(key, messagesAt, committed.messages);
  const turn = committed.output.ok ? committed.output.turn : undefined;
  // The run's closing events, when the turn stored them, were stored with it: nothing is left to do.
  if (turn?.kind === 'completed' && !('closedRun' in turn && turn.closedRun)) settled?.(committed.messages);
  return committed.output;
}

/**
 * The `handoffAgentTurn` activity: stores what the orchestrator handed over (its events, the user
 * messages among them, handled replies), rebuilds the transcript from the run store, runs one agent
 * turn, stores the turn's messages and commits its events under the seqs the orchestrator reserved.
 *
 * A turn commits once: an attempt that finds the turn committed returns what was committed (the
 * model is not called again), and the finish of a run that stopped while the turn ran closes the
 * turn's slot, so no late attempt writes there. Every other write is an idempotent upsert.
 */
export function createAgentTurnHandler(deps: AgentTurnDeps) {
  const now = deps.now ?? (() => new Date());
  return async function handoffAgentTurn(
    rawInput: unknown,
    context: InvocationContext,
  ): Promise<AgentTurnOutput> {
    let modelDescription: string | undefined;
    let preview: PreviewPublisher | undefined;
    let spans: TurnTelemetry | undefined;
    let journal: RunStoreJournal | undefined;
    // Run events and status are readable by anyone holding the run's token (a chat page's customer):
    // they say "the model", not which endpoint or deployment the app uses. The logs keep the details.
    const forRun = (text: string): string =>
      modelDescription ? text.split(modelDescription).join('the model') : text;
    try {
      const input = readAgentTurnInput(rawInput);
      const current = 'schemaVersion' in input ? input : undefined;
      const append: TranscriptMessage[] =
        'schemaVersion' in input ? [...(input.append ?? []), ...userMessagesOf(input.events)] : input.append;
      const store = deps.store();
      const key = runStoreKey({ runId: input.runId, nonce: current?.nonce });
      if (current && deps.telemetry) {
        spans = (await deps.telemetry()).agentTurn({
          trace: current.trace,
          runId: input.runId,
          workflow: input.workflow,
          agent: input.agent,
          turn: input.turn,
          resumed: current.resume !== undefined,
        });
      }
      // Only a run instance with a nonce has a key of its own: a transcript kept under it is its own.
      const transcripts = current?.nonce ? deps.transcripts : undefined;
      // A preview claim: the attempt number this attempt takes, stored with the turn's input.
      const claim = current && {
        firstSeq: current.firstSeq,
        agent: input.agent,
        turn: input.turn,
        attempt: current.retry?.attempt ?? 1,
        text: '',
      };
      const inputMessages = { at: input.knownMessages, messages: append };
      // Stores the input; when no attempt of the turn stored it before (`first`), the one write tells
      // so and there is nothing to read (else it reads what they recorded). With `preview`, a first
      // attempt claims its answer preview's number there: the number it was handed.
      const openTurn = (firstSeq: number, preview?: TurnPreview): Promise<OpenedTurn> =>
        store.openTurn(key, firstSeq, input.events, inputMessages, preview);
      // Whether this process knows that no earlier attempt of the turn ran here: it kept the run
      // since before the turn (it started the run or served an earlier turn, and was not restarted
      // since: a crash forgets) and began no attempt of it. Noted for every attempt.
      const firstHere = current !== undefined && transcripts?.beginAttempt(key, current.firstSeq) === true;
      // With `deferOpening`, such an attempt (not a retry, nor a turn resumed after approvals)
      // defers that write (`turn-opening.ts`): a turn whose first write is its commit then costs
      // one request. Other attempts open first, before the model is asked anything: an attempt
      // run again after a crash finds what an earlier one recorded before asking again.
      const deferred =
        current !== undefined &&
        firstHere &&
        !current.retry &&
        !current.resume &&
        input.events.length > 0 &&
        deps.deferOpening?.() === true;
      // The input and the reads touch different rows (the read stops before the appended messages),
      // so they go out together: one round trip of latency. All are idempotent, and a failure of
      // any fails the attempt, which Durable retries as a whole.
      const opening: Promise<OpenedTurn | undefined> = !current
        ? store.saveEvents(key, input.events, inputMessages).then(() => undefined)
        : deferred
          ? Promise.resolve(undefined)
          : openTurn(current.firstSeq, claim);
      const [stored, opened, retried] = await allSettled([
        transcripts
          ? transcripts.read(store, key, input.knownMessages)
          : store.readMessages(key, input.knownMessages),
        opening,
        // A retried turn's journal is where its first attempt recorded it.
        current?.retry && current.retry.recordsAt !== current.firstSeq
          ? store.readTurn(key, current.retry.recordsAt)
          : Promise.resolve(undefined),
        store.markRepliesHandled(key, input.handledReplyIds),
      ]);
      const transcript = [...stored, ...append];
      // A completed turn's messages are settled once committed: the next turn here need not read them.
      const settled = (messages: readonly TranscriptMessage[]): void =>
        transcripts?.remember(key, [...transcript, ...messages]);

      /**
       * Runs the turn and commits it. `recorded`: the turn as its opening found it; undefined for a
       * deferred first attempt, which assumes no attempt recorded anything and checks it before
       * acting (or with its commit): when the check finds an earlier attempt's input, nothing this
       * run did was acted on, and it says to run again from what that opening read.
       */
      const runOnce = async (recorded: OpenedTurn | undefined): Promise<RunOutcome> => {
        if (current && recorded?.slot) {
          spans?.end({ kind: 'already_committed' });
          return { output: await settledTurn(store, key, transcript.length, recorded.slot, settled) };
        }
        if (!deps.workflows.has(input.workflow)) {
          throw new WorkflowInputError(
            `Workflow '${input.workflow}' is no longer deployed; the run cannot continue.`,
          );
        }
        const workflow = deps.workflows.get(input.workflow);
        const deployedModel = await deps.model();
        modelDescription = deployedModel.description;
        const model = spans ? spans.model(deployedModel) : deployedModel;
        const agent = workflow.requireAgent(input.agent);
        const offered = deps.tools ? await deps.tools(agent) : { tools: agent.tools, warnings: [] };
        const tools = spans ? spans.tools(offered.tools) : offered.tools;
        let turnOpening: TurnOpening | undefined;
        // The answer is published as the model writes it; the turn's events, committed below, supersede it.
        const publisher =
          current &&
          new PreviewPublisher({
            store,
            channel: deps.previews?.(),
            // The run's store key (run id and instance nonce): readers of a reused run id never see it.
            runId: key,
            turn: { firstSeq: current.firstSeq, agent: input.agent, turn: input.turn },
            ...(current.retry ? { firstAttempt: current.retry.attempt } : {}),
            ...(claim && recorded?.previewVersion
              ? { claimed: { attempt: claim.attempt, version: recorded.previewVersion } }
              : {}),
            ...(claim && !recorded
              ? {
                  deferredClaim: {
                    attempt: claim.attempt,
                    open: () => void turnOpening?.open().catch(() => undefined),
                  },
                }
              : {}),
            warn: (message) => context.warn(message),
          });
        preview = publisher;
        if (current && !recorded) {
          const firstSeq = current.firstSeq;
          turnOpening = new TurnOpening(async () => {
            try {
              const made = await openTurn(firstSeq, publisher?.claimSnapshot());
              publisher?.opened(made.first ? made.previewVersion : undefined, !hasRecords(made));
              return made;
            } catch (error) {
              publisher?.openFailed();
              throw error;
            }
          }, deps.openingDelayMs);
        }
        const deferredOpening = turnOpening;
        // Nothing received is acted on before a deferred opening says no earlier attempt recorded it.
        const beforeActing =
          deferredOpening &&
          (async (): Promise<void> => {
            const made = await deferredOpening.open();
            if (!made.first && hasRecords(made)) throw new RunAgain(made);
          });
        journal =
          current &&
          runStoreJournal(
            store,
            key,
            current.retry?.recordsAt ?? current.firstSeq,
            retried?.steps ?? recorded?.steps ?? new Map(),
            beforeActing,
          );
        try {
          const turnStarted = performance.now();
          const result = await runAgentTurn({
            workflow,
            agentName: input.agent,
            transcript,
            model,
            checkTerminationFirst: input.checkTerminationFirst,
            runId: input.runId,
            tools,
            ...(input.toolCallFiltering ? { toolCallFiltering: input.toolCallFiltering } : {}),
            ...(journal ? { journal: traced(spans, journal) } : {}),
            ...(current?.resume ? { resume: current.resume } : {}),
            ...(publisher ? { onTextDelta: (delta: string) => publisher.append(delta) } : {}),
          });
          await preview?.close();
          context.info(
            turnLogLine({
              runId: input.runId,
              agent: input.agent,
              turn: input.turn,
              elapsedMs: performance.now() - turnStarted,
              result,
              spans,
            }),
          );
          const changed = workflow.version !== input.version;
          const redeployed = changed
            ? { redeployed: { version: workflow.version, plan: workflow.plan() } }
            : {};
          if (result.kind === 'terminated_before_turn') {
            // The orchestrator counts the input of a turn that returned as stored.
            const made = await deferredOpening?.open();
            if (made && !made.first && hasRecords(made)) return { runAgain: made };
            spans?.end({ kind: 'terminated_before_turn' });
            return { output: { ok: true, turn: result, ...redeployed } };
          }
          if (!current) {
            // A turn an earlier build scheduled: answered as that build did (the orchestrator writes its
            // events). That build knew no approvals: such a turn cannot wait for one.
            if (result.kind !== 'completed') {
              throw new WorkflowInputError(
                `Agent '${input.agent}' called a tool that needs approval in a turn an earlier build scheduled, which cannot wait for one; the run ends here instead of running the tool unapproved.`,
              );
            }
            await store.saveMessages(key, transcript.length, result.messages);
            return { output: { ok: true, turn: summarizeTurn(result), ...redeployed } };
          }
          const stamp = now().toISOString();
          const events = numberEvents(
            [
              ...(changed
                ? [
                    definitionChangedWarning({
                      workflow: input.workflow,
                      pinnedVersion: input.version,
                      deployedVersion: workflow.version,
                      turn: input.turn,
                    }),
                  ]
                : []),
              ...agentTurnEvents({
                agent: input.agent,
                messages: result.messages,
                toolRuns: result.toolRuns ?? [],
                warnings: [...offered.warnings, ...result.warnings],
                decision: result.kind === 'completed' ? result.decision : undefined,
                usage: result.usage,
              }),
            ],
            current.firstSeq,
            stamp,
          );
          const unwritten = journal?.unwritten() ?? [];
          const rowsBefore = 1 + unwritten.length + events.length + result.messages.length;
          // A deferred first attempt's input goes with its commit (created there: an earlier
          // attempt's input refuses the commit) when it fits beside the run's closing (3 rows; the
          // events count is a bound of their rows). Else, or when the turn opened meanwhile, the
          // opening is awaited first.
          const inputRows = input.events.length + append.length;
          const folded =
            deferredOpening !== undefined &&
            rowsBefore + inputRows + 3 <= TRANSACTION_OPERATIONS &&
            deferredOpening.fold();
          if (deferredOpening && !folded) {
            const made = await deferredOpening.open();
            if (!made.first && hasRecords(made)) return { runAgain: made };
          }
          // A turn that ends the run stores the run's closing events too, when they fit in its commit:
          // the run then needs no finish activity (see `run-closing.ts`).
          const closing =
            result.kind === 'completed' && turnEndsRun(result)
              ? closingInCommit({
                  seq: current.firstSeq + events.length,
                  timestamp: stamp,
                  conversation: toConversation([...transcript, ...result.messages]),
                  rowsBefore: rowsBefore + (folded ? inputRows : 0),
                })
              : undefined;
          const output: AgentTurnOutput = {
            ok: true,
            turn:
              result.kind === 'completed'
                ? {
                    ...completedTurn(current, result, events.length, changed),
                    ...(closing ? { closedRun: true as const } : {}),
                  }
                : pausedTurn(result, events.length),
            ...redeployed,
          };
          // The record keeps the messages too, so an attempt that finds the turn committed can put them
          // back. The turn's last response, held back by the journal, is recorded by the commit itself,
          // and so are the turn's messages and the removal of the preview this attempt stored.
          const removePreview = publisher?.storedVersion !== undefined;
          const commit = (withInput: boolean): Promise<boolean> =>
            store.commitTurn(
              key,
              current.firstSeq,
              events,
              { output, messages: result.messages },
              unwritten,
              {
                messages: { at: transcript.length, messages: result.messages },
                removePreview,
                ...(closing ? { closing } : {}),
                ...(withInput ? { input: { events: input.events, messages: inputMessages } } : {}),
              },
            );
          let committed = await commit(folded);
          if (!committed && folded) {
            // An earlier attempt stored the input first (or committed, or the run's end closed the
            // slot): what it left decides, as for an opening that finds it. When it left nothing,
            // this attempt's answer stands: it commits without the input.
            const made = await openTurn(current.firstSeq);
            const found = made.first
              ? { ...(await store.readTurn(key, current.firstSeq)), first: false }
              : made;
            if (hasRecords(found)) return { runAgain: found };
            committed = await commit(false);
          }
          // Whoever committed the turn (this attempt, another, or the run's finish closing the slot),
          // its events supersede the preview. A commit that closed the run left no preview at all.
          if (!(committed && (removePreview || closing))) await preview?.discard();
          if (committed) {
            // Once per turn: only the attempt that committed it reports its waits and its outcome.
            if (deps.telemetry) {
              await reportHumanWaits(
                await deps.telemetry(),
                { trace: current.trace, runId: input.runId, workflow: input.workflow, key },
                input.events,
                store,
                (message) => context.warn(message),
              );
              if (closing) {
                (await deps.telemetry()).runFinished({
                  trace: current.trace,
                  runId: input.runId,
                  workflow: input.workflow,
                  stopReason: CLOSED_BY_TURN,
                });
              }
            }
            const outcome =
              result.kind === 'completed' && result.decision.kind === 'handoff'
                ? { kind: 'handoff' as const, target: result.decision.target, usage: result.usage }
                : {
                    kind: result.kind === 'completed' ? ('respond' as const) : result.kind,
                    usage: result.usage,
                  };
            spans?.end(outcome);
            // A run that ended here is not read again: its transcript need not be kept, its conversation is.
            if (closing?.[1]?.type === 'output') {
              transcripts?.forget(key);
              if (current.nonce) deps.ended?.remember(key, closing[1].conversation);
            } else if (result.kind === 'completed') settled(result.messages);
            return { output };
          }
          spans?.end({ kind: 'already_committed' });
          const taken = await store.readTurnSlot(key, current.firstSeq);
          if (!taken) {
            // Another attempt recorded a step this one committed with: a retry replays its records.
            throw new DurableHandoffError(
              'conflict',
              `Turn slot ${current.firstSeq} refused a commit but holds nothing: another attempt recorded a step first; the turn runs again from the records.`,
              { isRetryable: true },
            );
          }
          return { output: await settledTurn(store, key, transcript.length, taken, settled) };
        } catch (error) {
          await preview?.close();
          if (error instanceof RunAgain) return { runAgain: error.opened };
          // An attempt that returns without committing stored its input first (the orchestrator
          // counts it as stored), and an earlier attempt's records decide over this one's failure.
          const made = await deferredOpening?.open();
          if (made && !made.first && hasRecords(made)) return { runAgain: made };
          throw error;
        } finally {
          deferredOpening?.stop();
        }
      };

      let recorded = opened;
      for (;;) {
        const outcome = await runOnce(recorded);
        if ('output' in outcome) return outcome.output;
        // The second run opened first: it never runs again.
        recorded = outcome.runAgain;
      }
    } catch (error) {
      // The preview stays stored: a retried attempt reads it to take the next attempt number.
      await preview?.close();
      // A response the turn held back for its commit is recorded now, so a retry replays it.
      await journal?.flush().catch(() => undefined);
      const wait = longRetryAfter(error);
      const disposition = classifyActivityError(error);
      const current = currentInput(rawInput);
      const retryable = wait !== undefined || disposition.retry;
      spans?.end({ kind: 'failed', error, retryable });
      if (current && disposition.retry && isModelFailure(error)) {
        // The orchestrator tries the turn again on its schedule, with a warning event the run's
        // followers see; the console says more (the endpoint, through the model's description).
        const attempt = current.retry?.attempt ?? 1;
        const waitMs = turnRetryDelayMs(attempt, error.retryAfterMs);
        const retries = turnRetriesAfter(attempt, waitMs);
        const next = retries
          ? `the next (${attempt + 1} of ${TURN_ATTEMPTS}) in ${Math.ceil(waitMs / 1000)} s`
          : attempt >= TURN_ATTEMPTS
            ? 'that was the last: the run ends with this error'
            : `the model asked for a wait of ${Math.ceil(waitMs / 1000)} s, longer than a run waits: the run ends`;
        const line =
          `Agent turn ${current.turn} of run ${current.runId} failed with a retryable error (${disposition.code}) ` +
          `calling ${modelDescription ?? 'the model'} for ${current.agent}; attempt ${attempt} of ${TURN_ATTEMPTS}, ${next}: ${disposition.message}`;
        if (retries) context.warn(line);
        else context.error(line);
        return {
          ok: false,
          error: { ...error.toJSON(), message: forRun(error.message) },
          retry: true,
          ...(error.retryAfterMs !== undefined && error.retryAfterMs > 0
            ? { retryAfterMs: Math.ceil(error.retryAfterMs) }
            : {}),
        };
      }
      if (wait !== undefined && DurableHandoffError.isInstance(error)) {
        // Durable's retry schedule (2, 4, 8, 16 s) cannot follow a server that asks for a longer wait:
        // the orchestrator waits on a durable timer instead, as long as asked, and tries again.
        context.warn(
          `Agent turn was rate limited (${error.code}); the run waits ${wait} ms as the model asked.`,
        );
        return {
          ok: false,
          error: { ...error.toJSON(), message: forRun(error.message) },
          retryAfterMs: wait,
        };
      }
      if (disposition.retry) {
        context.warn(
          `Agent turn ${rawField(rawInput, 'turn')} of run ${rawField(rawInput, 'runId')} failed with a retryable error (${disposition.code}); ` +
            `it is tried again in 2, 4, 8 then 16 s (5 attempts in all): ${disposition.message}`,
        );
        throw new Error(retryableFailureMessage(disposition.code, forRun(disposition.message)));
      }
      context.error(
        `Agent turn failed permanently (${disposition.error.code}): ${disposition.error.message}`,
      );
      // At most the last ten: a turn that ran out of corrections raised one per correction.
      const warnings = turnWarningsOf(error)
        .slice(-10)
        .map((warning) => ({ ...warning, message: forRun(warning.message) }));
      return {
        ok: false,
        error: { ...disposition.error, message: forRun(disposition.error.message) },
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    }
  };
}
