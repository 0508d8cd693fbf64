/**
 * The answer preview of a turn in the Table run store (against Azurite) and the publisher that
 * writes it: conditional writes by version, the attempt numbering, the coalescing of writes, and
 * the in-process channel.
 */
import type { WorkflowEvent } from '../../../src/core/events';
import { useInMemoryAzurite } from '../../support/in-memory-azurite';
import { LivePreviewChannel } from '../../../src/durable/preview/live-preview-channel';
import { PreviewPublisher } from '../../../src/durable/preview/preview-publisher';
import type { TurnPreview } from '../../../src/durable/preview/turn-preview';
import { TableRunStore } from '../../../src/durable/store/table-run-store';

const turn = { firstSeq: 7, agent: 'shipping_agent', turn: 2 };
const preview = (text: string, attempt = 1, firstSeq = 7): TurnPreview => ({
  ...turn,
  firstSeq,
  attempt,
  text,
});
const warning = (seq: number): WorkflowEvent => ({
  type: 'warning',
  seq,
  timestamp: '2026-11-24T09:00:00.000Z',
  code: 'test',
  message: `note ${seq}`,
});

/** Counts the store's preview writes and lets a test make one fail. */
class CountingStore extends TableRunStore {
  writes: TurnPreview[] = [];
  failWrites = false;

  override async writePreview(runId: string, value: TurnPreview, replacing: string | undefined) {
    this.writes.push(value);
    if (this.failWrites) throw new Error('storage is down');
    return super.writePreview(runId, value, replacing);
  }
}

describe('answer previews in the run store', () => {
  const azurite = useInMemoryAzurite('preview-store');
  let store: CountingStore;
  let runNumber = 0;
  const newRun = () => `preview-run-${++runNumber}`;

  beforeAll(() => {
    store = new CountingStore({
      kind: 'connection-string',
      connectionString: azurite().connectionString,
      tablePrefix: 'PreviewTest',
    });
  });

  beforeEach(() => {
    store.writes = [];
    store.failWrites = false;
  });

  describe('the preview row', () => {
    it('is created once, then replaced only by whoever holds its current version', async () => {
      const run = newRun();
      const first = await store.writePreview(run, preview('Your'), undefined);
      expect(first).toEqual(expect.any(String));
      expect(await store.writePreview(run, preview('Other'), undefined)).toBeUndefined();

      const second = await store.writePreview(run, preview('Your package'), first);
      expect(second).toEqual(expect.any(String));
      expect(await store.writePreview(run, preview('Stale'), first)).toBeUndefined();
      expect(await store.readPreview(run)).toEqual({ preview: preview('Your package'), version: second });
    });

    it('comes with the events in one read, after them, and never with readEvents', async () => {
      const run = newRun();
      await store.saveEvents(run, [warning(1), warning(2)]);
      await store.writePreview(run, preview('Your package'), undefined);

      expect(await store.readEventFeed(run, 0)).toEqual({
        events: [warning(1), warning(2)],
        preview: preview('Your package'),
      });
      expect(await store.readEventFeed(run, 2)).toEqual({ events: [], preview: preview('Your package') });
      expect(await store.readEvents(run, 0)).toEqual([warning(1), warning(2)]);
      // A read cut short by its limit stops before the preview, which sorts last.
      expect(await store.readEventFeed(run, 0, 1)).toEqual({ events: [warning(1)] });
    });

    it('is removed only at the version given, and a missing one is fine', async () => {
      const run = newRun();
      const version = await store.writePreview(run, preview('Your'), undefined);
      const newer = await store.writePreview(run, preview('Your package'), version);
      await store.deletePreview(run, version);
      expect((await store.readPreview(run))?.version).toBe(newer);
      await store.deletePreview(run, newer);
      expect(await store.readPreview(run)).toBeUndefined();
      await store.deletePreview(run);
      expect(await store.writePreview(run, preview('After'), newer)).toBeUndefined();
    });
  });

  describe('PreviewPublisher', () => {
    function publisher(run: string) {
      const channel = new LivePreviewChannel();
      const heard: TurnPreview[] = [];
      channel.subscribe(run, (value) => heard.push(value));
      const warnings: string[] = [];
      const published = new PreviewPublisher({
        store,
        channel,
        runId: run,
        turn,
        warn: (message) => warnings.push(message),
      });
      return { published, heard, warnings };
    }

    /** Resolves once `done()` holds. */
    async function until(what: string, done: () => boolean): Promise<void> {
      for (const deadline = Date.now() + 10_000; !done();) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    /**
     * Resolves once `published`'s claim holds. The store has the preview a moment before the
     * publisher hears back from it, and only then publishes in process and knows its attempt.
     */
    const claimHeld = (published: PreviewPublisher) =>
      until('the claim to hold', () => published.attempt > 0);

    /** Resolves once the store's preview of `run` says `text`. */
    async function storedText(run: string, text: string): Promise<void> {
      for (const deadline = Date.now() + 10_000; ;) {
        if ((await store.readPreview(run))?.preview.text === text) return;
        if (Date.now() > deadline) throw new Error(`the stored preview never said '${text}'`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    it('claims attempt 1, publishes nothing before the claim holds, then every piece at once', async () => {
      const run = newRun();
      const { published, heard } = publisher(run);

      published.append('Your');
      published.append(' package');
      expect(heard).toEqual([]);
      await storedText(run, 'Your package');
      await claimHeld(published);
      expect(heard).toEqual([preview('Your package')]);
      published.append(' ships.');
      expect(heard.at(-1)).toEqual(preview('Your package ships.'));
      expect(published.attempt).toBe(1);
      await published.close();
    });

    it("takes the next attempt number after an earlier attempt's preview of the same turn, 1 after another turn's", async () => {
      const run = newRun();
      await store.writePreview(run, preview('Your pack', 2), undefined);
      const retried = publisher(run);
      retried.published.append('Your');
      await storedText(run, 'Your');
      await claimHeld(retried.published);
      expect(retried.heard).toEqual([preview('Your', 3)]);
      await retried.published.close();

      const otherTurn = { ...turn, firstSeq: 12, turn: 3 };
      const nextTurn = new PreviewPublisher({ store, runId: run, turn: otherTurn });
      nextTurn.append('Thanks');
      await storedText(run, 'Thanks');
      expect((await store.readPreview(run))?.preview).toEqual({ ...otherTurn, attempt: 1, text: 'Thanks' });
      await nextTurn.close();
    });

    it('claims past an attempt that got there first, and the stale one stops publishing', async () => {
      const run = newRun();
      const slow = publisher(run);
      const fast = publisher(run);
      fast.published.append('Fast');
      await storedText(run, 'Fast');
      slow.published.append('Slow');
      await storedText(run, 'Slow');
      await claimHeld(slow.published);
      expect(slow.published.attempt).toBe(2);

      fast.published.append(' writer');
      await until("the stale attempt's write", () => store.writes.some((w) => w.text === 'Fast writer'));
      await until('the stale attempt to give up', () => !fast.published.publishing);
      fast.published.append(' again');
      expect((await store.readPreview(run))?.preview).toEqual(preview('Slow', 2));
      // It heard its own ' writer' before the write found the preview changed; nothing after.
      expect(fast.heard.map((value) => value.text)).toEqual(['Fast', 'Fast writer']);
      await fast.published.close();
      await slow.published.close();
    });

    it('writes to the store at most every 200 ms, the first piece at once', async () => {
      const run = newRun();
      const { published, heard } = publisher(run);
      const started = Date.now();
      let pieces = 0;
      for (; Date.now() - started < 1_200; pieces += 1) {
        published.append(`w${pieces} `);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const elapsed = Date.now() - started;
      await published.close();

      // However slow the machine, writes start at least 200 ms apart.
      expect(store.writes.length).toBeLessThanOrEqual(Math.floor(elapsed / 200) + 1);
      expect(store.writes.length).toBeGreaterThanOrEqual(2);
      expect(store.writes[0]!.text).toBe('w0 ');
      // Every piece was heard in process, and the texts only grew.
      expect(heard.at(-1)!.text.split(' ').filter(Boolean)).toHaveLength(pieces);
      expect(
        heard.every((value, index) => index === 0 || value.text.startsWith(heard[index - 1]!.text)),
      ).toBe(true);
    });

    it('keeps publishing in process when the store fails a later write, and shows nothing if the claim fails', async () => {
      const run = newRun();
      const { published, heard, warnings } = publisher(run);
      published.append('Your');
      await storedText(run, 'Your');
      store.failWrites = true;
      published.append(' package');
      await until('the failed write', () => warnings.length > 0);
      published.append(' ships.');
      await published.close();
      expect(heard.at(-1)).toEqual(preview('Your package ships.'));
      expect(warnings.join('\n')).toMatch(/stopped storing the answer preview: storage is down/);

      const other = publisher(newRun());
      other.published.append('Hello');
      await other.published.close();
      expect(other.heard).toEqual([]);
      expect(other.warnings.join('\n')).toMatch(
        /could not store the answer preview; this attempt shows none/,
      );
    });

    it('removes the preview it stored when discarded after the commit, and only that one', async () => {
      const run = newRun();
      await store.writePreview(run, preview('Left by attempt 1'), undefined);
      const quiet = publisher(run);
      await quiet.published.discard(); // this attempt wrote nothing (a handoff, say)
      expect((await store.readPreview(run))?.preview.text).toBe('Left by attempt 1');
      expect(store.writes.map((write) => write.text)).toEqual(['Left by attempt 1']);

      const writing = publisher(run);
      writing.published.append('Your package');
      await storedText(run, 'Your package');
      await writing.published.discard();
      expect(await store.readPreview(run)).toBeUndefined();
    });

    describe('an attempt that claimed its number with its input (a first attempt)', () => {
      async function claimedPublisher(run: string, attempt = 1, minWriteIntervalMs?: number) {
        // The claim as the turn's first attempt stores it: with its input, in one transaction.
        const opened = await store.openTurn(
          run,
          turn.firstSeq,
          [warning(turn.firstSeq - 1)],
          { at: 0, messages: [] },
          {
            ...preview('', attempt),
          },
        );
        expect(opened.first).toBe(true);
        const channel = new LivePreviewChannel();
        const heard: TurnPreview[] = [];
        channel.subscribe(run, (value) => heard.push(value));
        const published = new PreviewPublisher({
          store,
          channel,
          runId: run,
          turn,
          claimed: { attempt, version: opened.previewVersion! },
          ...(minWriteIntervalMs === undefined ? {} : { minWriteIntervalMs }),
        });
        return { published, heard, version: opened.previewVersion! };
      }

      it('publishes in process from the first piece, and stores nothing for an answer written within the interval', async () => {
        const run = newRun();
        const reads = jest.spyOn(store, 'readPreview');
        const { published, heard, version } = await claimedPublisher(run);
        published.append('Your');
        published.append(' package');
        expect(heard).toEqual([preview('Your'), preview('Your package')]);
        expect(published.attempt).toBe(1);
        await published.close();
        expect(store.writes).toEqual([]);
        expect(reads).not.toHaveBeenCalled();
        reads.mockRestore();
        // The stored claim has no text (readers show none) and is this attempt's to remove.
        expect(await store.readPreview(run)).toEqual({ preview: preview(''), version });
        expect(published.storedVersion).toBe(version);
      });

      it('stores the text once the interval since the claim has passed, replacing only its own version', async () => {
        const run = newRun();
        const { published } = await claimedPublisher(run, 3);
        published.append('Your');
        await storedText(run, 'Your');
        expect((await store.readPreview(run))?.preview).toEqual(preview('Your', 3));
        expect(store.writes).toEqual([preview('Your', 3)]);
        await published.discard();
        expect(await store.readPreview(run)).toBeUndefined();
      });

      it('stores nothing for an answer that ends as its write falls due: the commit supersedes it', async () => {
        const run = newRun();
        // No interval: every piece is due at once, as when the model answers after the interval
        // (under load, every turn), with the whole answer in one read.
        const { published, heard, version } = await claimedPublisher(run, 1, 0);
        published.append('Your');
        published.append(' package');
        await published.close();
        expect(heard.at(-1)).toEqual(preview('Your package'));
        expect(store.writes).toEqual([]);
        expect(await store.readPreview(run)).toEqual({ preview: preview(''), version });
      });

      it('stores a due piece that the end does not follow in the same turn of the event loop', async () => {
        const run = newRun();
        const { published } = await claimedPublisher(run, 1, 0);
        published.append('Your');
        await storedText(run, 'Your');
        published.append(' package');
        await storedText(run, 'Your package');
        expect(store.writes).toEqual([preview('Your'), preview('Your package')]);
        await published.discard();
      });

      it('yields to a retried attempt of the same turn, which claims the next number', async () => {
        const run = newRun();
        const first = await claimedPublisher(run);
        const retried = publisher(run); // a second attempt: its input was stored, so it claims here
        retried.published.append('Again');
        await storedText(run, 'Again');
        await claimHeld(retried.published);
        expect(retried.published.attempt).toBe(2);
        first.published.append('Late');
        await until('the first attempt to give up', () => !first.published.publishing);
        expect((await store.readPreview(run))?.preview).toEqual(preview('Again', 2));
        await first.published.close();
        await retried.published.close();
      });
    });

    describe('an attempt whose claim goes with its input when the turn opens (a deferred first attempt)', () => {
      function deferredPublisher(run: string, listening: boolean) {
        const channel = new LivePreviewChannel();
        const heard: TurnPreview[] = [];
        if (listening) channel.subscribe(run, (value) => heard.push(value));
        const asked = { opens: 0 };
        const published = new PreviewPublisher({
          store,
          channel,
          runId: run,
          turn,
          deferredClaim: { attempt: 1, open: () => (asked.opens += 1) },
        });
        // The turn's opening, as the agent-turn activity makes it: the input, with this claim.
        const open = async () => {
          const opened = await store.openTurn(
            run,
            turn.firstSeq,
            [warning(turn.firstSeq - 1)],
            { at: 0, messages: [] },
            published.claimSnapshot(),
          );
          published.opened(opened.first ? opened.previewVersion : undefined);
          return opened;
        };
        return { published, heard, asked, open };
      }

      it('asks for the opening at the first piece a stream of this process listens to, and publishes once it holds', async () => {
        const run = newRun();
        const { published, heard, asked, open } = deferredPublisher(run, true);
        published.append('Your');
        published.append(' package');
        expect(asked.opens).toBe(1);
        expect(heard).toEqual([]);
        const opened = await open();
        expect(heard).toEqual([preview('Your package')]);
        expect(await store.readPreview(run)).toEqual({
          preview: preview('Your package'),
          version: opened.previewVersion,
        });
        published.append(' ships.');
        expect(heard.at(-1)).toEqual(preview('Your package ships.'));
        await published.close();
        // The claim was the opening's write; the text after it waits for the interval.
        expect(store.writes).toEqual([]);
        expect(published.storedVersion).toBe(opened.previewVersion);
      });

      it('asks for nothing when no stream of this process listens, stores the text so far when the turn opens', async () => {
        const run = newRun();
        const { published, asked, open } = deferredPublisher(run, false);
        published.append('Your');
        published.append(' package');
        expect(asked.opens).toBe(0);
        expect(await store.readPreview(run)).toBeUndefined();
        const opened = await open(); // as the turn's timer opens it
        expect(await store.readPreview(run)).toEqual({
          preview: preview('Your package'),
          version: opened.previewVersion,
        });
        published.append(' ships.');
        await storedText(run, 'Your package ships.');
        await published.close();
      });

      it('publishes nothing when an earlier attempt had opened the turn (the attempt runs again)', async () => {
        const run = newRun();
        await store.openTurn(run, turn.firstSeq, [warning(turn.firstSeq - 1)], { at: 0, messages: [] });
        const { published, heard, open } = deferredPublisher(run, true);
        published.append('Your');
        expect((await open()).first).toBe(false);
        published.append(' package');
        expect(heard).toEqual([]);
        expect(published.publishing).toBe(false);
        expect(published.storedVersion).toBeUndefined();
        await published.close();
        expect(store.writes).toEqual([]);
      });
    });

    it('claims a first attempt with one request when no preview is stored', async () => {
      const run = newRun();
      const reads = jest.spyOn(store, 'readPreview');
      const { published } = publisher(run);
      published.append('Hello');
      await until('the claim', () => published.attempt === 1);
      expect(reads).not.toHaveBeenCalled();
      expect(store.writes).toEqual([preview('Hello')]);
      reads.mockRestore();
      await published.close();
    });
  });
});
