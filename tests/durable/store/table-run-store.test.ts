import { TableClient } from '@azure/data-tables';
import type { WorkflowEvent } from '../../../src/core/events';
import type { TranscriptMessage } from '../../../src/core/messages';
import { encodePayload, MAX_PAYLOAD_LENGTH } from '../../../src/durable/store/entity-payload';
import { TableRunStore } from '../../../src/durable/store/table-run-store';
import { useInMemoryAzurite } from '../../support/in-memory-azurite';

function warning(seq: number, message = `note ${seq}`): WorkflowEvent {
  return { type: 'warning', seq, timestamp: '2026-11-24T09:00:00.000Z', code: 'test', message };
}

function seqs(events: readonly WorkflowEvent[]): number[] {
  return events.map((event) => event.seq);
}

describe('the Table run store (against Azurite)', () => {
  const azurite = useInMemoryAzurite('run-store');
  let store: TableRunStore;
  let runNumber = 0;
  const newRun = () => `run-${++runNumber}`;

  beforeAll(() => {
    store = new TableRunStore({
      kind: 'connection-string',
      connectionString: azurite().connectionString,
      tablePrefix: 'RunStoreTest',
    });
  });

  it('reads back the events of several hand-overs in seq order', async () => {
    const run = newRun();
    await store.saveEvents(run, [warning(1), warning(2), warning(3)]);
    await store.saveEvents(run, [warning(4)]);
    await store.saveEvents(run, [warning(5), warning(6)]);
    expect(await store.readEvents(run, 0)).toEqual([1, 2, 3, 4, 5, 6].map((seq) => warning(seq)));
  });

  it('reads from a cursor that falls inside a stored batch, and stops at the limit', async () => {
    const run = newRun();
    await store.saveEvents(run, [warning(1), warning(2), warning(3)]);
    await store.saveEvents(run, [warning(4), warning(5), warning(6)]);
    await store.saveEvents(run, [warning(7), warning(8)]);
    expect(seqs(await store.readEvents(run, 2))).toEqual([3, 4, 5, 6, 7, 8]);
    expect(seqs(await store.readEvents(run, 2, 3))).toEqual([3, 4, 5]);
    expect(seqs(await store.readEvents(run, 5, 1))).toEqual([6]);
    expect(await store.readEvents(run, 8)).toEqual([]);
  });

  it('leaves the same events behind when a hand-over is written twice (a retried activity)', async () => {
    const run = newRun();
    await store.saveEvents(run, [warning(1), warning(2)]);
    await store.saveEvents(run, [warning(1), warning(2)]);
    await store.saveEvents(run, [warning(3)]);
    expect(seqs(await store.readEvents(run, 0))).toEqual([1, 2, 3]);
  });

  it('keeps one copy of events handed over again by the finish of a turn that never completed', async () => {
    const run = newRun();
    await store.saveEvents(run, [warning(1), warning(2)]);
    await store.saveEvents(run, [warning(3), warning(4), warning(5)]); // the turn that then failed
    await store.saveEvents(
      run,
      [3, 4, 5, 6, 7].map((seq) => warning(seq)),
    ); // the finish
    expect(seqs(await store.readEvents(run, 0))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seqs(await store.readEvents(run, 2, 2))).toEqual([3, 4]);
    expect(seqs(await store.readEvents(run, 4))).toEqual([5, 6, 7]);
  });

  it('still reads events stored one per row, as earlier versions wrote them', async () => {
    const run = newRun();
    const table = TableClient.fromConnectionString(azurite().connectionString, 'RunStoreTestEvents', {
      allowInsecureConnection: true,
    });
    await store.saveEvents(run, [warning(1)]); // creates the table
    await table.upsertEntity({
      partitionKey: run,
      rowKey: '0000000002',
      ...encodePayload('Event 2', warning(2)),
    });
    await store.saveEvents(run, [warning(3), warning(4)]);
    expect(await store.readEvents(run, 0)).toEqual([1, 2, 3, 4].map((seq) => warning(seq)));
  });

  it('deletes every row of one run instance, turn slots, messages and replies included, and nothing of another', async () => {
    const run = newRun();
    const other = newRun();
    const many = Array.from({ length: 150 }, (_, i) => warning(i + 1));
    for (const event of many) await store.saveEvents(run, [event]); // 150 rows
    await store.commitTurn(run, 151, [warning(151)], { output: 'x' });
    await store.closeTurnSlot(run, 200);
    await store.saveMessages(run, 0, [{ role: 'user', text: 'hi' }]);
    await store.saveReply(run, { replyId: 'r1', message: 'yes', receivedAt: '2026-11-24T09:00:00.000Z' });
    expect(await store.claimRequest(run, 'req-1', 'r1')).toBe('r1');
    await store.saveEvents(other, [warning(1, 'other')]);
    expect(await store.deleteRun(run)).toBe(150 + 1 + 2 + 1 + 2);
    expect(await store.readEvents(run, 0)).toEqual([]);
    expect(await store.readTurnSlot(run, 151)).toBeUndefined();
    expect(await store.unhandledReplies(run)).toEqual([]);
    await expect(store.readMessages(run, 1)).rejects.toThrow(/missing message 0/);
    expect(await store.readEvents(other, 0)).toEqual([warning(1, 'other')]);
    expect(await store.deleteRun(run)).toBe(0);
    // The request can be claimed again by the next run instance that uses the key.
    expect(await store.claimRequest(run, 'req-1', 'r2')).toBe('r2');
  });

  it('lets the first claim of a request win and tells every later claim which reply holds it', async () => {
    const run = newRun();
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.claimRequest(run, 'req-9', id)));
    const winner = claims[0]!;
    expect(new Set(claims)).toEqual(new Set([winner]));
    expect(['a', 'b', 'c', 'd']).toContain(winner);
    // A claim row is not a reply: the run never sees it.
    expect(await store.unhandledReplies(run)).toEqual([]);
  });

  it('keeps runs apart', async () => {
    const a = newRun();
    const b = newRun();
    await store.saveEvents(a, [warning(1, 'a')]);
    await store.saveEvents(b, [warning(1, 'b'), warning(2, 'b')]);
    expect(await store.readEvents(a, 0)).toEqual([warning(1, 'a')]);
    expect(seqs(await store.readEvents(b, 0))).toEqual([1, 2]);
  });

  it('escapes a key with a quote in its queries (a store shared with callers that skip run id validation)', async () => {
    const run = `o'brien-${newRun()}`;
    await store.saveEvents(run, [warning(1)]);
    await store.saveMessages(run, 0, [{ role: 'user', text: 'hi' }]);
    await store.saveReply(run, { replyId: 'r1', message: 'yes', receivedAt: '2026-11-24T09:00:00.000Z' });
    expect(seqs(await store.readEvents(run, 0))).toEqual([1]);
    expect(await store.readMessages(run, 1)).toEqual([{ role: 'user', text: 'hi' }]);
    expect((await store.unhandledReplies(run)).map((reply) => reply.replyId)).toEqual(['r1']);
  });

  it('stores a hand-over larger than one entity over several rows', async () => {
    const run = newRun();
    const text = 'w'.repeat(Math.floor(MAX_PAYLOAD_LENGTH * 0.4));
    const events = [1, 2, 3, 4].map((seq) => warning(seq, text));
    await store.saveEvents(run, events);
    expect(await store.readEvents(run, 0)).toEqual(events);
    expect(seqs(await store.readEvents(run, 1, 2))).toEqual([2, 3]);
  }, 30_000);

  it('keeps line and paragraph separators in events and messages', async () => {
    const run = newRun();
    await store.saveEvents(run, [warning(1, 'a\u2028b'), warning(2, 'c\u2029d')]);
    expect(await store.readEvents(run, 0)).toEqual([warning(1, 'a\u2028b'), warning(2, 'c\u2029d')]);
    const message: TranscriptMessage = { role: 'user', text: 'x\u2028y' };
    await store.saveMessages(run, 0, [message]);
    expect(await store.readMessages(run, 1)).toEqual([message]);
  });

  it('reads the first n messages in order and says which one is missing', async () => {
    const run = newRun();
    const messages: TranscriptMessage[] = ['one', 'two', 'three'].map((text) => ({ role: 'user', text }));
    await store.saveMessages(run, 0, messages.slice(0, 1));
    await store.saveMessages(run, 1, messages.slice(1));
    expect(await store.readMessages(run, 2)).toEqual(messages.slice(0, 2));
    expect(await store.readMessages(run, 0)).toEqual([]);
    await expect(store.readMessages(run, 4)).rejects.toThrow(/missing message 3/);
    expect(await store.readMessages(run, 3, 1)).toEqual(messages.slice(1));
    expect(await store.readMessages(run, 2, 2)).toEqual([]);
    await expect(store.readMessages(run, 5, 2)).rejects.toThrow(/missing message 3/);
  });

  it('hands back unhandled replies oldest first, and not once they are marked handled', async () => {
    const run = newRun();
    await store.saveReply(run, { replyId: 'r2', message: 'second', receivedAt: '2026-11-24T09:00:02.000Z' });
    await store.saveReply(run, { replyId: 'r1', message: 'first', receivedAt: '2026-11-24T09:00:01.000Z' });
    expect((await store.unhandledReplies(run)).map((reply) => reply.replyId)).toEqual(['r1', 'r2']);
    await store.markRepliesHandled(run, ['r1', 'never-stored']);
    expect((await store.unhandledReplies(run)).map((reply) => reply.replyId)).toEqual(['r2']);
  });

  it("stores a turn's events once: a second attempt's commit is refused and leaves the first one's events", async () => {
    const run = newRun();
    await store.saveEvents(run, [warning(1), warning(2)]);
    expect(await store.readTurnSlot(run, 3)).toBeUndefined();
    expect(await store.commitTurn(run, 3, [warning(3, 'first'), warning(4, 'first')], { n: 1 })).toBe(true);
    expect(await store.commitTurn(run, 3, [warning(3, 'second')], { n: 2 })).toBe(false);
    expect(await store.readTurnSlot(run, 3)).toEqual({ kind: 'committed', record: { n: 1 } });
    expect(await store.readEvents(run, 0)).toEqual([
      warning(1),
      warning(2),
      warning(3, 'first'),
      warning(4, 'first'),
    ]);
  });

  it('records the steps a commit carries with the turn, and refuses the commit when another attempt recorded one of them first', async () => {
    const run = newRun();
    expect(await store.commitTurn(run, 3, [warning(3)], { n: 1 }, [{ step: 'm001', record: { a: 1 } }])).toBe(
      true,
    );
    const turn = await store.readTurn(run, 3);
    expect(turn.slot).toEqual({ kind: 'committed', record: { n: 1 } });
    expect(turn.steps.get('m001')?.record).toEqual({ a: 1 });

    await store.recordTurnStep(run, 7, 'm001', { other: true });
    expect(
      await store.commitTurn(run, 7, [warning(7)], { n: 2 }, [{ step: 'm001', record: { mine: true } }]),
    ).toBe(false);
    expect(await store.readTurnSlot(run, 7)).toBeUndefined();
    expect((await store.readTurn(run, 7)).steps.get('m001')?.record).toEqual({ other: true });
    expect(await store.readEvents(run, 0)).toEqual([warning(3)]);
  });

  it('closes an empty turn slot against a late attempt, and keeps a committed one', async () => {
    const run = newRun();
    expect(await store.closeTurnSlot(run, 1)).toEqual({ kind: 'closed' });
    expect(await store.commitTurn(run, 1, [warning(1, 'late')], { late: true })).toBe(false);
    expect(await store.readEvents(run, 0)).toEqual([]);
    expect(await store.closeTurnSlot(run, 1)).toEqual({ kind: 'closed' });

    expect(await store.commitTurn(run, 5, [warning(5)], { done: true })).toBe(true);
    expect(await store.closeTurnSlot(run, 5)).toEqual({ kind: 'committed', record: { done: true } });
    expect(await store.readEvents(run, 0)).toEqual([warning(5)]);
  });

  it('opens a turn without a read on its first attempt, and hands a later attempt what the first one recorded', async () => {
    const run = newRun();
    const hello: TranscriptMessage = { role: 'user', text: 'hello' };
    const first = await store.openTurn(run, 3, [warning(1), warning(2)], { at: 0, messages: [hello] });
    expect(first).toEqual({ first: true, steps: new Map() });
    await store.recordTurnStep(run, 3, 'm001', { answer: 1 });

    const again = await store.openTurn(run, 3, [warning(1), warning(2)], { at: 0, messages: [hello] });
    expect(again.first).toBe(false);
    expect(again.slot).toBeUndefined();
    expect(again.steps.get('m001')?.record).toEqual({ answer: 1 });
    expect(await store.commitTurn(run, 3, [warning(3)], { n: 1 })).toBe(true);
    expect(
      (await store.openTurn(run, 3, [warning(1), warning(2)], { at: 0, messages: [hello] })).slot,
    ).toEqual({
      kind: 'committed',
      record: { n: 1 },
    });
    expect(await store.readEvents(run, 0)).toEqual([warning(1), warning(2), warning(3)]);
    expect(await store.readMessages(run, 1)).toEqual([hello]);
  });

  it("stores a turn's input with its commit, and refuses the commit once an attempt stored that input", async () => {
    const run = newRun();
    const hello: TranscriptMessage = { role: 'user', text: 'hello' };
    const input = { events: [warning(1), warning(2)], messages: { at: 0, messages: [hello] } };
    expect(await store.commitTurn(run, 3, [warning(3)], { n: 1 }, [], { input })).toBe(true);
    expect(await store.readEvents(run, 0)).toEqual([warning(1), warning(2), warning(3)]);
    expect(await store.readMessages(run, 1)).toEqual([hello]);
    // The input is then stored: an opening finds the turn committed.
    const opened = await store.openTurn(run, 3, input.events, input.messages);
    expect(opened).toMatchObject({ first: false, slot: { kind: 'committed', record: { n: 1 } } });

    // An attempt opened the next turn (and may have recorded steps): a commit with the input is
    // refused, and writes nothing.
    const next = { events: [warning(4)], messages: { at: 1, messages: [] } };
    expect((await store.openTurn(run, 5, next.events, next.messages)).first).toBe(true);
    expect(await store.commitTurn(run, 5, [warning(5, 'late')], { n: 2 }, [], { input: next })).toBe(false);
    expect(await store.readTurnSlot(run, 5)).toBeUndefined();
    expect(await store.readEvents(run, 3)).toEqual([warning(4)]);
  });

  it("claims a first attempt's answer preview with its input, and no later attempt's", async () => {
    const run = newRun();
    const claim = { firstSeq: 3, agent: 'a', turn: 1, attempt: 2, text: '' };
    await store.writePreview(run, { ...claim, firstSeq: 1, text: 'an earlier turn left this' }, undefined);
    const first = await store.openTurn(run, 3, [warning(1), warning(2)], { at: 0, messages: [] }, claim);
    expect(first).toEqual({ first: true, steps: new Map(), previewVersion: expect.any(String) });
    expect(await store.readPreview(run)).toEqual({ preview: claim, version: first.previewVersion });
    // The stored claim has no text: an event stream's feed carries it, and its relay shows nothing.
    expect((await store.readEventFeed(run, 2)).preview).toEqual(claim);

    const again = await store.openTurn(run, 3, [warning(1), warning(2)], { at: 0, messages: [] }, claim);
    expect(again.first).toBe(false);
    expect(again.previewVersion).toBeUndefined();
    expect((await store.readPreview(run))?.version).toBe(first.previewVersion);
    // The commit of the attempt that claimed it removes it with the turn's events.
    expect(await store.commitTurn(run, 3, [warning(3)], { n: 1 }, [], { removePreview: true })).toBe(true);
    expect(await store.readPreview(run)).toBeUndefined();
  });

  it("stores a turn's messages with its commit, and only with the commit that wins", async () => {
    const run = newRun();
    const mine: TranscriptMessage = { role: 'assistant', authorName: 'a', text: 'mine' };
    const theirs: TranscriptMessage = { role: 'assistant', authorName: 'a', text: 'theirs' };
    expect(
      await store.commitTurn(run, 1, [warning(1)], { n: 1 }, [], { messages: { at: 0, messages: [mine] } }),
    ).toBe(true);
    expect(
      await store.commitTurn(run, 1, [warning(1)], { n: 2 }, [], { messages: { at: 0, messages: [theirs] } }),
    ).toBe(false);
    expect(await store.readMessages(run, 1)).toEqual([mine]);
  });

  it('removes the answer preview with the commit, and commits all the same when it is gone already', async () => {
    const run = newRun();
    const preview = { firstSeq: 1, agent: 'a', turn: 1, attempt: 1, text: 'typing' };
    expect(await store.writePreview(run, preview, undefined)).toBeDefined();
    expect(await store.commitTurn(run, 1, [warning(1)], { n: 1 }, [], { removePreview: true })).toBe(true);
    expect(await store.readPreview(run)).toBeUndefined();
    expect(await store.commitTurn(run, 2, [warning(2)], { n: 2 }, [], { removePreview: true })).toBe(true);
    expect(await store.readEvents(run, 0)).toEqual([warning(1), warning(2)]);
  });

  it('closes a run in one write that leaves no answer preview for any reader', async () => {
    const run = newRun();
    const bye: TranscriptMessage = { role: 'user', text: 'bye' };
    await store.writePreview(run, { firstSeq: 1, agent: 'a', turn: 1, attempt: 1, text: 'left' }, undefined);
    await store.closeRun(run, [warning(1), warning(2)], { at: 0, messages: [bye] });
    expect(await store.readPreview(run)).toBeUndefined();
    expect(await store.readEventFeed(run, 0)).toEqual({ events: [warning(1), warning(2)] });
    expect(await store.readMessages(run, 1)).toEqual([bye]);
    // A late attempt cannot put a preview back.
    expect(
      await store.writePreview(run, { firstSeq: 3, agent: 'a', turn: 2, attempt: 1, text: 'x' }, undefined),
    ).toBeUndefined();
  });

  it("stores the run's closing events with the turn's commit as the finish stores them, leaving no preview", async () => {
    const run = newRun();
    const answer: TranscriptMessage = { role: 'assistant', authorName: 'a', text: 'done' };
    // An earlier attempt's preview, which this attempt never stored over.
    await store.writePreview(run, { firstSeq: 1, agent: 'a', turn: 1, attempt: 1, text: 'left' }, undefined);
    expect(
      await store.commitTurn(run, 1, [warning(1)], { n: 1 }, [], {
        messages: { at: 0, messages: [answer] },
        closing: [warning(2), warning(3)],
      }),
    ).toBe(true);
    expect(await store.readEventFeed(run, 0)).toEqual({ events: [warning(1), warning(2), warning(3)] });
    expect(await store.readMessages(run, 1)).toEqual([answer]);
    // A finish that runs all the same (an earlier build's orchestrator) writes the same row again.
    await store.closeRun(run, [warning(2), warning(3)], { at: 1, messages: [] });
    expect(await store.readEvents(run, 0)).toEqual([warning(1), warning(2), warning(3)]);
    // A late attempt cannot put a preview back.
    expect(
      await store.writePreview(run, { firstSeq: 1, agent: 'a', turn: 1, attempt: 2, text: 'x' }, undefined),
    ).toBeUndefined();
    // A commit of another attempt is refused whole: no closing events of its own.
    expect(
      await store.commitTurn(run, 1, [warning(1, 'other')], { n: 2 }, [], { closing: [warning(2, 'other')] }),
    ).toBe(false);
    expect(await store.readEvents(run, 0)).toEqual([warning(1), warning(2), warning(3)]);
  });

  it('reads the messages an earlier build stored in the messages table, and those this one added after them', async () => {
    const run = newRun();
    const legacy = TableClient.fromConnectionString(azurite().connectionString, 'RunStoreTestMessages', {
      allowInsecureConnection: true,
    });
    await store.readMessages(run, 0); // the tables exist once the store is used
    const older: TranscriptMessage = { role: 'user', text: 'stored by an earlier build' };
    await legacy.upsertEntity({
      partitionKey: run,
      rowKey: '0000000000',
      ...encodePayload('Message 0', older),
    });
    const newer: TranscriptMessage = { role: 'user', text: 'stored by this one' };
    await store.saveMessages(run, 1, [newer]);
    expect(await store.readMessages(run, 2)).toEqual([older, newer]);
    expect(await store.readMessages(run, 2, 1)).toEqual([newer]);
  });
});
