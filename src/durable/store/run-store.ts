import { z } from 'zod';
import type { WorkflowEvent } from '../../core/events';
import type { TranscriptMessage } from '../../core/messages';
import type { StoredPreview, TurnPreview } from '../preview/turn-preview';

const replyRecord = {
  /** When the sender received it (ISO 8601); orders replies that a continue-as-new made the run re-read. */
  receivedAt: z.string(),
  /**
   * The reply that answered the request first, when this one lost the race to it: kept as a record,
   * never handed to the run.
   */
  supersededBy: z.string().optional(),
  /** Why the API refused it (`run_finished`, `not_awaiting_input`, `stale_request`): kept as a record, never sent. */
  refused: z.string().optional(),
};

/** A human reply (a message, or an approval) as the sender stored it before raising the `user_reply` event. */
export const StoredReplySchema = z.union([
  z.object({
    replyId: z.string().min(1),
    requestId: z.string().min(1).optional(),
    message: z.string(),
    ...replyRecord,
  }),
  z.object({
    replyId: z.string().min(1),
    requestId: z.string().min(1),
    approval: z.object({ approved: z.boolean(), reason: z.string().optional() }),
    ...replyRecord,
  }),
]);
export type StoredReply = z.infer<typeof StoredReplySchema>;

/**
 * The slot of one agent turn, named by the `seq` of the first event the turn writes: empty
 * (undefined), `committed` by an attempt of the turn (with the record it stored), or `closed` by the
 * run's end while the turn was in flight, so no late attempt can write there.
 */
export type TurnSlot = { kind: 'committed'; record: unknown } | { kind: 'closed' };

/** What an event stream reads each poll: new events, and the answer preview if one is stored. */
export interface EventFeed {
  events: WorkflowEvent[];
  preview?: TurnPreview;
}

/**
 * Durable per-run data that lives outside the orchestration history, in the app's storage account.
 *
 * Every write is an idempotent upsert keyed by run id and position (event `seq`, message index, reply
 * id), so activities that run more than once (Durable's at-least-once) leave the same rows behind.
 * See ARCHITECTURE.md "The run store".
 */
export interface RunStore {
  /**
   * Upserts events by `(runId, seq)`: writing the same events again leaves the same events stored.
   * With `messages` (the user messages among them, see {@link saveMessages}): in the same write.
   */
  saveEvents(runId: string, events: readonly WorkflowEvent[], messages?: TurnMessagesWrite): Promise<void>;
  /** Events with `seq > afterSeq`, ascending, at most `limit`. */
  readEvents(runId: string, afterSeq: number, limit?: number): Promise<WorkflowEvent[]>;
  /** Upserts messages at positions `startIndex`, `startIndex + 1`, ... */
  saveMessages(runId: string, startIndex: number, messages: readonly TranscriptMessage[]): Promise<void>;
  /** The first `count` messages of the run (from position `from`, default 0), in order; fails if any is missing. */
  readMessages(runId: string, count: number, from?: number): Promise<TranscriptMessage[]>;
  /** Stores a reply before it is raised as an event (a `supersededBy` reply is stored as handled). */
  saveReply(runId: string, reply: StoredReply): Promise<void>;
  /**
   * Claims the open request `requestId` for the reply `replyId`: the first claim wins, atomically,
   * on every instance of the app. Returns the id of the reply that holds the claim (`replyId` when
   * this claim won).
   */
  claimRequest(runId: string, requestId: string, replyId: string): Promise<string>;
  /** Replies not yet handled by the orchestrator, oldest first. */
  unhandledReplies(runId: string): Promise<StoredReply[]>;
  /** Marks replies handled (accepted or ignored) so a later generation does not see them again. */
  markRepliesHandled(runId: string, replyIds: readonly string[]): Promise<void>;
  /** What the turn slot at `firstSeq` holds; undefined while it is empty. */
  readTurnSlot(runId: string, firstSeq: number): Promise<TurnSlot | undefined>;
  /**
   * Stores what the turn at `firstSeq` is handed (its input `events` and the user `messages` among
   * them) and returns the turn as its attempts left it ({@link readTurn}). One write when no
   * attempt of the turn stored them before (`first`: nothing to read); else the write and a read.
   * With `preview` (the turn's answer preview with no text yet, at the attempt number a first
   * attempt takes), a first attempt stores it in the same write, claiming that number (and
   * replacing what an earlier turn left); `previewVersion` is then its version.
   */
  openTurn(
    runId: string,
    firstSeq: number,
    events: readonly WorkflowEvent[],
    messages: TurnMessagesWrite,
    preview?: TurnPreview,
  ): Promise<OpenedTurn>;
  /**
   * Stores a turn's events (numbered from `firstSeq`) and its record together, atomically, if the
   * slot is empty; false (and nothing written) when an attempt committed it first or it was closed.
   * `steps` are step records the turn has not written yet (a last model response, which the turn
   * acted on only by committing): they are created in the same write, and a step already recorded
   * by another attempt refuses the commit like a taken slot. `also.messages` (the turn's messages)
   * are stored by the commit that succeeds, and `also.removePreview` removes the run's answer
   * preview with it. `also.closing`: the run's closing events (the turn ends the run, see
   * `run-closing.ts`), stored by the same write as {@link closeRun} stores them (no answer preview
   * left, the messages in the same write: the caller checks they fit, else this throws, writing nothing).
   * `also.input`: the turn's input (as {@link openTurn} takes it), for an attempt that did not open the
   * turn: its events are created in the same write, so an attempt that stored them before (and may
   * have recorded steps) refuses the commit like a taken slot.
   */
  commitTurn(
    runId: string,
    firstSeq: number,
    events: readonly WorkflowEvent[],
    record: unknown,
    steps?: readonly TurnStepWrite[],
    also?: CommitAlso,
  ): Promise<boolean>;
  /**
   * Stores a run's closing events (the last of them ends the run) with the user `messages` among
   * them, and leaves no answer preview, in one write.
   */
  closeRun(runId: string, events: readonly WorkflowEvent[], messages: TurnMessagesWrite): Promise<void>;
  /** Closes an empty slot; a committed slot stays as it is. Returns what the slot holds afterwards. */
  closeTurnSlot(runId: string, firstSeq: number): Promise<TurnSlot>;
  /**
   * The turn at `firstSeq` as its attempts left it: its slot, and the steps they recorded (model
   * responses and tool results, by step name), read together.
   */
  readTurn(runId: string, firstSeq: number): Promise<{ slot?: TurnSlot; steps: Map<string, TurnStepRecord> }>;
  /**
   * Records one step of the turn at `firstSeq` (`step`: letters, digits and '-'), unless a record of
   * that step exists: then nothing is written and the existing record is returned.
   */
  recordTurnStep(runId: string, firstSeq: number, step: string, record: unknown): Promise<TurnStepRecord>;
  /**
   * Deletes everything stored under `runId` (a run instance's store key): its events, turn slots,
   * messages and replies. Returns how many rows it deleted; deleting an unknown key deletes none.
   */
  deleteRun(runId: string): Promise<number>;
  /**
   * The keys of runs with events stored before `before` (each once). A full scan, for the daily
   * retention sweep only: it finds the data of runs purged where the app could not see it.
   */
  staleRunKeys(before: Date): Promise<string[]>;
  /**
   * Events as {@link readEvents} reads them, and the run's answer preview if one is stored, in one
   * read: what an event stream polls, so following a run costs no more while nothing streams.
   */
  readEventFeed(runId: string, afterSeq: number, limit?: number): Promise<EventFeed>;
  /** The run's stored answer preview and its version; undefined when there is none. */
  readPreview(runId: string): Promise<StoredPreview | undefined>;
  /**
   * Stores the run's answer preview if the stored one is still at version `replacing` (when
   * undefined: if none is stored). Returns the new version, or undefined when another writer
   * changed or removed it first (nothing is written then).
   */
  writePreview(
    runId: string,
    preview: TurnPreview,
    replacing: string | undefined,
  ): Promise<string | undefined>;
  /** Removes the run's preview (only if it is still at `version`, when given); none stored is fine. */
  deletePreview(runId: string, version?: string): Promise<void>;
}

/** What else a turn's commit stores (see {@link RunStore.commitTurn}). */
export interface CommitAlso {
  messages?: TurnMessagesWrite;
  removePreview?: boolean;
  closing?: readonly WorkflowEvent[];
  input?: { events: readonly WorkflowEvent[]; messages: TurnMessagesWrite };
}

/** Transcript messages to store at positions `at`, `at + 1`, ... */
export interface TurnMessagesWrite {
  at: number;
  messages: readonly TranscriptMessage[];
}

/** A turn as {@link RunStore.openTurn} found it; `first` when no earlier attempt stored its input. */
export interface OpenedTurn {
  slot?: TurnSlot;
  steps: Map<string, TurnStepRecord>;
  first: boolean;
  /** The version of the answer preview the first attempt stored with its input (see {@link RunStore.openTurn}). */
  previewVersion?: string;
}

/** A step record to write: the step's name (as for {@link RunStore.recordTurnStep}) and its record. */
export interface TurnStepWrite {
  step: string;
  record: unknown;
}

/** A recorded step of a turn: what was recorded, and when (the recording host's clock, ISO 8601). */
export interface TurnStepRecord {
  record: unknown;
  recordedAt: string;
}
