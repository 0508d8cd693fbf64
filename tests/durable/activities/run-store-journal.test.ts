import { DurableHandoffError } from '../../../src/core/errors';
import { runStoreJournal } from '../../../src/durable/activities/run-store-journal';
import { TableRunStore } from '../../../src/durable/store/table-run-store';
import type { RecordedResponse } from '../../../src/model/agent-turn/turn-journal';
import { useInMemoryAzurite } from '../../support/in-memory-azurite';

function response(text: string): RecordedResponse {
  return {
    message: { role: 'assistant', authorName: 'shipping_agent', text },
    usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2, requests: 1 },
  };
}

describe("an agent turn's journal in the run store (against Azurite)", () => {
  const azurite = useInMemoryAzurite('run-store-journal');
  let store: TableRunStore;
  let runNumber = 0;
  const newRun = () => `journal-run-${++runNumber}`;

  beforeAll(() => {
    store = new TableRunStore({
      kind: 'connection-string',
      connectionString: azurite().connectionString,
      tablePrefix: 'JournalTest',
    });
  });

  it("holds the last response back for the turn's commit, and records it before the model is asked again", async () => {
    const run = newRun();
    const journal = runStoreJournal(store, run, 5, new Map());

    expect(await journal.response(1, () => Promise.resolve(response('first')))).toEqual(response('first'));
    expect((await store.readTurn(run, 5)).steps.size).toBe(0);
    expect(journal.unwritten()).toEqual([{ step: 'm001', record: response('first') }]);

    await journal.response(2, async () => {
      // The model is asked again only once the response before is on record.
      expect((await store.readTurn(run, 5)).steps.get('m001')?.record).toEqual(response('first'));
      return response('second');
    });
    expect(journal.unwritten()).toEqual([{ step: 'm002', record: response('second') }]);
    expect(await store.commitTurn(run, 5, [], { done: true }, journal.unwritten())).toBe(true);
    expect([...(await store.readTurn(run, 5)).steps.keys()]).toEqual(['m001', 'm002']);
  });

  it("records a custom model's unusual usage as the schema reads it, and refuses one it cannot replay", async () => {
    const journal = runStoreJournal(store, newRun(), 5, new Map());
    const extra = { ...response('extra'), usage: { ...response('extra').usage, cachedTokens: 3 } };

    // The record is what a replay reads back: the property the schema does not name is not in it.
    expect(await journal.response(1, () => Promise.resolve(extra))).toEqual(response('extra'));
    expect(journal.unwritten()).toEqual([{ step: 'm001', record: response('extra') }]);
    const negative = { ...response('negative'), usage: { ...response('negative').usage, promptTokens: -1 } };
    await expect(journal.response(2, () => Promise.resolve(negative))).rejects.toThrow();
  });

  it('records a held response before a tool acts on it', async () => {
    const run = newRun();
    const journal = runStoreJournal(store, run, 5, new Map());
    await journal.response(1, () => Promise.resolve(response('calls a tool')));
    await journal.toolResult(1, 0, 'call-1', async () => {
      expect((await store.readTurn(run, 5)).steps.has('m001')).toBe(true);
      return { text: 'done', ok: true };
    });
    expect(journal.unwritten()).toEqual([]);
  });

  it('replays a recorded response without asking the model', async () => {
    const run = newRun();
    await store.recordTurnStep(run, 5, 'm001', response('recorded'));
    const journal = runStoreJournal(store, run, 5, (await store.readTurn(run, 5)).steps);
    const asked = jest.fn(() => Promise.resolve(response('asked')));

    expect(await journal.response(1, asked)).toEqual(response('recorded'));
    expect(asked).not.toHaveBeenCalled();
    expect(journal.unwritten()).toEqual([]);
  });

  it('fails retryably when another attempt recorded the held response first with another answer', async () => {
    const run = newRun();
    const journal = runStoreJournal(store, run, 5, new Map());
    await journal.response(1, () => Promise.resolve(response('mine')));
    await store.recordTurnStep(run, 5, 'm001', response('theirs'));

    const failure = await journal.flush().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(DurableHandoffError.isInstance(failure) && failure.isRetryable).toBe(true);
    expect((await store.readTurn(run, 5)).steps.get('m001')?.record).toEqual(response('theirs'));
  });
});
