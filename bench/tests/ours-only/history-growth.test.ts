import {
  historyGrowthPerTurn,
  newContentBytes,
  totalHistoryBytes,
  turnEpisodes,
} from '../../src/ours-only/history-growth';

const ACTIVITY = 'handoffAgentTurn';
const T = '2026-11-24T09:00:00.0000000Z';

type Event = Record<string, unknown> & {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
};

const started = (input: string): Event => ({
  EventType: 0,
  EventId: -1,
  IsPlayed: false,
  Timestamp: T,
  Name: 'handoffOrchestrator',
  Input: input,
});
const orchestratorStarted = (): Event => ({ EventType: 12, EventId: -1, IsPlayed: false, Timestamp: T });
const orchestratorCompleted = (): Event => ({ EventType: 13, EventId: -1, IsPlayed: false, Timestamp: T });
const scheduled = (id: number, append: unknown[], name = ACTIVITY): Event => ({
  EventType: 4,
  EventId: id,
  IsPlayed: false,
  Timestamp: T,
  Name: name,
  Version: '',
  Input: JSON.stringify([{ runId: 'r', append, events: [] }]),
});
const completed = (id: number, messages: unknown[]): Event => ({
  EventType: 5,
  EventId: -1,
  IsPlayed: false,
  Timestamp: T,
  TaskScheduledId: id,
  Result: JSON.stringify({ ok: true, result: { kind: 'completed', messages } }),
});

const played = (events: Event[]): Event[] => events.map((event) => ({ ...event, IsPlayed: true }));
const bytes = (events: Event[]): number =>
  events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify({ ...event, IsPlayed: false })), 0);
const running = { kind: 'state', state: { isDone: false, actions: [] } };

const user = { role: 'user', text: 'Where is my order?' };
const answer = (n: number) => ({ role: 'assistant', authorName: 'shipping_agent', text: `Update ${n}` });
const prompt = { role: 'user', text: 'Continue.', synthetic: true };

/**
 * Two executions: turns 1 and 2 in the first (which continues as new after turn 2), turn 3 in the
 * second, which then syncs the run (another activity) and completes.
 */
function recording() {
  const e1a = [orchestratorStarted(), started('{"messages":["Where is my order?"]}')];
  const w1a = [...e1a, scheduled(0, [user]), orchestratorCompleted()];
  const e1b = [orchestratorStarted(), completed(0, [answer(1)])];
  const w1b = [...e1b, scheduled(1, [prompt]), orchestratorCompleted()];
  const e1c = [orchestratorStarted(), completed(1, [answer(2)])];
  const carried = JSON.stringify({ carried: { transcript: [user, answer(1), prompt, answer(2)] } });
  const e2a = [orchestratorStarted(), started(carried)];
  const w2a = [...e2a, scheduled(0, [prompt]), orchestratorCompleted()];
  const e2b = [orchestratorStarted(), completed(0, [answer(3)])];
  const w2b = [...e2b, scheduled(1, [], 'handoffSyncRun'), orchestratorCompleted()];
  const e2c = [orchestratorStarted(), completed(1, [])];
  const output = { turns: 3 };
  return {
    recording: {
      format: 'durable-handoff.devhost.recording/1',
      instanceId: 'r',
      orchestrator: 'handoffOrchestrator',
      executions: [
        {
          executionId: 'x1',
          episodes: [
            { payload: { history: e1a }, result: running },
            { payload: { history: [...played(w1a), ...e1b] }, result: running },
            { payload: { history: [...played([...w1a, ...w1b]), ...e1c] }, result: running },
          ],
        },
        {
          executionId: 'x2',
          episodes: [
            { payload: { history: e2a }, result: running },
            { payload: { history: [...played(w2a), ...e2b] }, result: running },
            {
              payload: { history: [...played([...w2a, ...w2b]), ...e2c] },
              result: { kind: 'state', state: { isDone: true, output, actions: [] } },
            },
          ],
        },
      ],
    },
    written: { w1a, w1b, e1c, w2a, w2b, e2c },
    carried,
    output,
  };
}

describe('history growth per turn', () => {
  it('charges each turn with what the episodes up to the one receiving its result wrote', () => {
    const { recording: rec, written } = recording();

    const turns = historyGrowthPerTurn(rec, ACTIVITY);

    expect(turns.map((turn) => [turn.turn, turn.execution])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    expect(turns[0]!.historyBytes).toBe(bytes([...written.w1a, ...written.w1b]));
    expect(turns[2]!.historyBytes).toBe(bytes([...written.w2a, ...written.w2b]));
  });

  it('charges the turn before a continue-as-new with the ContinueAsNew event that carries the next input', () => {
    const { recording: rec, written, carried } = recording();

    const turn2 = historyGrowthPerTurn(rec, ACTIVITY)[1]!;

    const continueAsNew = {
      EventType: 16,
      EventId: 2,
      IsPlayed: false,
      Timestamp: T,
      OrchestrationStatus: 4,
      Result: carried,
      FailureDetails: null,
    };
    expect(turn2.historyBytes).toBe(bytes([...written.e1c, continueAsNew, orchestratorCompleted()]));
  });

  it("counts a turn's new content as the user messages handed to it and the messages it returned", () => {
    const { recording: rec } = recording();
    const json = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

    const turns = historyGrowthPerTurn(rec, ACTIVITY);

    expect(turns.map((turn) => turn.newContentBytes)).toEqual([
      json(user) + json(answer(1)),
      json(prompt) + json(answer(2)),
      json(prompt) + json(answer(3)),
    ]);
  });

  it("takes a summarized turn's new content from the final transcript at the turn's position", () => {
    const json = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
    const transcript = [user, answer(1), prompt, answer(2)];
    const summaryScheduled = (id: number, knownMessages: number, append: unknown[]): Event => ({
      ...scheduled(id, append),
      Input: JSON.stringify([{ runId: 'r', knownMessages, append, events: [] }]),
    });
    const summaryCompleted = (id: number, messageCount: number): Event => ({
      ...completed(id, []),
      Result: JSON.stringify({ ok: true, turn: { kind: 'completed', messageCount, texts: [] } }),
    });
    const e1a = [orchestratorStarted(), started('{}')];
    const w1a = [...e1a, summaryScheduled(0, 0, [user]), orchestratorCompleted()];
    const e1b = [orchestratorStarted(), summaryCompleted(0, 1)];
    const w1b = [...e1b, summaryScheduled(1, 2, [prompt]), orchestratorCompleted()];
    const e1c = [orchestratorStarted(), summaryCompleted(1, 1)];
    const rec = {
      instanceId: 'r',
      executions: [
        {
          executionId: 'x1',
          episodes: [
            { payload: { history: e1a }, result: running },
            { payload: { history: [...played(w1a), ...e1b] }, result: running },
            {
              payload: { history: [...played([...w1a, ...w1b]), ...e1c] },
              result: { kind: 'state', state: { isDone: true, output: { transcript }, actions: [] } },
            },
          ],
        },
      ],
    };

    expect(historyGrowthPerTurn(rec, ACTIVITY).map((turn) => turn.newContentBytes)).toEqual([
      json(user) + json(answer(1)),
      json(prompt) + json(answer(2)),
    ]);
  });

  it("takes the user messages of a turn from its input's user_message events, and the transcript from the run store", () => {
    const json = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
    const transcript = [user, answer(1), prompt, answer(2)];
    const turnScheduled = (id: number, knownMessages: number, users: string[]): Event => ({
      ...scheduled(id, []),
      Input: JSON.stringify([
        {
          schemaVersion: 2,
          runId: 'r',
          knownMessages,
          events: [
            ...users.map((text, i) => ({ type: 'user_message', seq: i + 1, text })),
            { type: 'executor_invoked', seq: users.length + 1, executorId: 'shipping_agent' },
          ],
        },
      ]),
    });
    const turnCompleted = (id: number, messageCount: number): Event => ({
      ...completed(id, []),
      Result: JSON.stringify({ ok: true, turn: { kind: 'completed', messageCount, events: 4 } }),
    });
    const e1a = [orchestratorStarted(), started('{}')];
    const w1a = [...e1a, turnScheduled(0, 0, [user.text]), orchestratorCompleted()];
    const e1b = [orchestratorStarted(), turnCompleted(0, 1)];
    const w1b = [...e1b, turnScheduled(1, 2, [prompt.text]), orchestratorCompleted()];
    const e1c = [orchestratorStarted(), turnCompleted(1, 1)];
    const rec = {
      instanceId: 'r',
      executions: [
        {
          executionId: 'x1',
          episodes: [
            { payload: { history: e1a }, result: running },
            { payload: { history: [...played(w1a), ...e1b] }, result: running },
            {
              payload: { history: [...played([...w1a, ...w1b]), ...e1c] },
              result: { kind: 'state', state: { isDone: true, output: { turns: 2 }, actions: [] } },
            },
          ],
        },
      ],
    };

    expect(historyGrowthPerTurn(rec, ACTIVITY, transcript).map((turn) => turn.newContentBytes)).toEqual([
      json(user) + json(answer(1)),
      json(prompt) + json(answer(2)),
    ]);
    expect(() => historyGrowthPerTurn(rec, ACTIVITY)).toThrow(/final transcript/);
  });

  it('counts the closing ExecutionCompleted with the output in the total, after the last turn', () => {
    const { recording: rec, written, output } = recording();
    const completion = {
      EventType: 1,
      EventId: 2,
      IsPlayed: false,
      Timestamp: T,
      OrchestrationStatus: 1,
      Result: JSON.stringify(output),
      FailureDetails: null,
    };

    const total = totalHistoryBytes(rec, ACTIVITY);

    const charged = historyGrowthPerTurn(rec, ACTIVITY).reduce((sum, turn) => sum + turn.historyBytes, 0);
    expect(total - charged).toBe(bytes([...written.e2c, completion, orchestratorCompleted()]));
  });

  it('finds the episode that received each turn, with the history it replays', () => {
    const { recording: rec } = recording();

    expect(turnEpisodes(rec, ACTIVITY)).toEqual([
      { turn: 1, executionIndex: 0, episodeIndex: 1, historyLength: 6 },
      { turn: 2, executionIndex: 0, episodeIndex: 2, historyLength: 10 },
      { turn: 3, executionIndex: 1, episodeIndex: 1, historyLength: 6 },
    ]);
  });

  it('ignores the results of other activities', () => {
    const e1a = [orchestratorStarted(), started('{}')];
    const w1a = [...e1a, scheduled(0, [], 'handoffSyncRun'), orchestratorCompleted()];
    const e1b = [orchestratorStarted(), completed(0, [answer(1)])];
    const rec = {
      instanceId: 'r',
      executions: [
        {
          executionId: 'x1',
          episodes: [
            { payload: { history: e1a }, result: running },
            { payload: { history: [...played(w1a), ...e1b] }, result: running },
          ],
        },
      ],
    };

    expect(historyGrowthPerTurn(rec, ACTIVITY)).toEqual([]);
  });

  it('refuses an agent turn whose input has no append list, naming the task', () => {
    const broken = { ...scheduled(7, []), Input: '[{"runId":"r"}]' };

    expect(() => newContentBytes(broken, completed(7, []))).toThrow(/Agent turn task 7/);
  });
});
