import type { WorkflowEvent } from '../../../src/core/events';
import { RunMachine, type RunEnvironment, type Step } from '../../../src/durable/orchestrator/run-machine';
import { buildRunInput } from '../../../src/durable/start-handoff-run';
import type { AgentTurnOutput } from '../../../src/durable/wire/agent-turn-activity';
import { OrchestrationInputSchema } from '../../../src/durable/wire/orchestration-input';
import { customerSupport } from '../../../sample/src/workflows/customer-support';

const T0 = '2026-11-24T10:00:00.000Z';
let ids = 0;
/** The orchestration's clock and ids, as the orchestrator hands them over (a fixed time here). */
const env: RunEnvironment = { now: () => T0, newId: () => `request-${(ids += 1)}` };
const usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15, requests: 1 };

/** A handoff turn that wrote its 4 events (agent end, coordinator start, handoff_sent, coordinator end). */
function handoff(target: string): Extract<AgentTurnOutput, { ok: true }> {
  return {
    ok: true,
    turn: {
      kind: 'completed',
      messageCount: 2,
      events: 4,
      decision: { kind: 'handoff', target },
      terminate: false,
      usage,
    },
  };
}

/** An answer that wrote its 4 events (agent_response, agent end, coordinator start and end). */
function answer(terminate = false, prompt?: string): AgentTurnOutput {
  return {
    ok: true,
    turn: {
      kind: 'completed',
      messageCount: 1,
      events: 4,
      decision: { kind: 'respond' },
      terminate,
      usage,
      ...(prompt !== undefined ? { prompt } : {}),
    },
  };
}

/** An answer as builds before #12 summarized it: texts and warnings, no events written. */
function legacyAnswer(text: string): AgentTurnOutput {
  return {
    ok: true,
    turn: {
      kind: 'completed',
      messageCount: 1,
      texts: [text],
      decision: { kind: 'respond' },
      terminate: false,
      usage,
      warnings: [],
    },
  };
}

function start(
  mode: 'human_in_loop' | 'autonomous',
  overrides: Partial<ReturnType<typeof buildRunInput>> = {},
) {
  const input = {
    ...buildRunInput(customerSupport, { message: 'I never received my order #12345', runId: 'run-1', mode }),
    ...overrides,
  };
  return { input, machine: RunMachine.start(input, env) };
}

/** The output of run-1 of customer_support, completed by the termination condition. */
function completedOutput(turns: number, usageByAgent: Record<string, typeof usage>): unknown {
  return {
    runId: 'run-1',
    workflow: 'customer_support',
    state: 'completed',
    stopReason: 'terminated_by_condition',
    turns,
    usage: usageByAgent,
  };
}

function expectKind<K extends Step['kind']>(step: Step, kind: K): Extract<Step, { kind: K }> {
  expect(step.kind).toBe(kind);
  return step as Extract<Step, { kind: K }>;
}

/** The seqs a turn wrote itself: `count` of them from its `firstSeq`. */
function written(step: Extract<Step, { kind: 'agent_turn' }>, count: number): number[] {
  return Array.from({ length: count }, (_, i) => step.input.firstSeq + i);
}

/** Freezes `value` and everything in it: a change in place then throws (test files are strict mode). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function seqsOf(events: readonly WorkflowEvent[]): number[] {
  return events.map((event) => event.seq);
}

describe('RunMachine', () => {
  it('hands each turn the seq its own events start at and numbers on after them, with no gap', () => {
    const { machine } = start('autonomous');
    const first = expectKind(machine.next(), 'agent_turn');
    expect(first.input).toMatchObject({
      schemaVersion: 2,
      agent: 'coordinator_agent',
      turn: 1,
      knownMessages: 0,
      checkTerminationFirst: true,
      toolCallFiltering: 'handoff_only',
    });
    // The first message is in its user_message event only: the activity stores both.
    expect(first.input.append).toBeUndefined();
    expect(first.input.events.filter((e) => e.type === 'user_message')).toMatchObject([
      { text: 'I never received my order #12345' },
    ]);
    expect(first.input.firstSeq).toBe(first.input.events.at(-1)!.seq + 1);
    machine.applyTurn(handoff('shipping_agent'));

    const second = expectKind(machine.next(), 'agent_turn');
    expect(second.input).toMatchObject({ agent: 'shipping_agent', turn: 2, knownMessages: 3 });
    expect(second.input.events.map((e) => e.type)).toEqual(['executor_invoked']);
    machine.applyTurn(answer(true));

    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish).toMatchObject({ schemaVersion: 2, knownMessages: 4 });
    expect(finish.finish.abandonedTurn).toBeUndefined();
    expect(finish.finish.events.map((e) => e.type)).toEqual(['status']);
    const seqs = [
      ...seqsOf(first.input.events),
      ...written(first, 4),
      ...seqsOf(second.input.events),
      ...written(second, 4),
      ...seqsOf(finish.finish.events),
      finish.finish.output.seq,
    ];
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(machine.output()).toEqual(completedOutput(2, { coordinator_agent: usage, shipping_agent: usage }));
  });

  it('asks for the answer as the prompt only when it will ask the human with it', () => {
    const human = start('human_in_loop').machine;
    expect(expectKind(human.next(), 'agent_turn').input.wantsPrompt).toBe(true);
    const autonomous = start('autonomous').machine;
    expect(expectKind(autonomous.next(), 'agent_turn').input.wantsPrompt).toBe(false);
  });

  it('asks the human in human_in_loop mode with the turn prompt and gives the reply to the agent that asked', () => {
    const { machine } = start('human_in_loop');
    machine.next();
    machine.applyTurn(handoff('refund_agent'));
    machine.next();
    machine.applyTurn(answer(false, 'Which order is it?'));
    const wait = expectKind(machine.next(), 'await_reply');
    expect(wait.request).toMatchObject({ agent: 'refund_agent', prompt: 'Which order is it?' });
    expect(wait.request.deadline).toBe('2026-11-25T10:00:00.000Z');
    expect(machine.status()).toMatchObject({
      state: 'awaiting_input',
      pendingRequest: { agent: 'refund_agent', prompt: 'Which order is it?' },
    });
    expect(wait.sync.events.map((e) => e.type)).toEqual(['request_info']);
    expect(wait.sync.knownMessages).toBe(4);
    machine.applySync({ replies: [], storedMessages: true });

    expect(machine.applyReply({ replyId: 'r1', message: 'Order 7', requestId: wait.request.requestId })).toBe(
      'accepted',
    );
    const next = expectKind(machine.next(), 'agent_turn');
    expect(next.input).toMatchObject({
      agent: 'refund_agent',
      checkTerminationFirst: true,
      handledReplyIds: ['r1'],
      knownMessages: 4,
    });
    expect(next.input.events.find((e) => e.type === 'user_message')).toMatchObject({
      text: 'Order 7',
      requestId: wait.request.requestId,
    });
  });

  it('ignores a stale reply with a warning and a duplicate silently', () => {
    const { machine } = start('human_in_loop');
    machine.next();
    machine.applyTurn(answer(false, 'What is the issue?'));
    const wait = expectKind(machine.next(), 'await_reply');
    expect(machine.applyReply({ replyId: 'old', message: 'hi', requestId: 'not-the-open-one' })).toBe(
      'ignored',
    );
    expect(machine.applyReply({ replyId: 'ok', message: 'shipping' })).toBe('accepted');
    expect(machine.applyReply({ replyId: 'ok', message: 'shipping' })).toBe('ignored');
    const next = expectKind(machine.next(), 'agent_turn');
    expect(next.input.events.find((e) => e.type === 'warning')).toMatchObject({ code: 'stale_reply' });
    expect(next.input.events.filter((e) => e.type === 'user_message')).toMatchObject([{ text: 'shipping' }]);
    expect(wait.request.requestId).not.toBe('not-the-open-one');
  });

  it('continues an agent autonomously with a flagged synthetic prompt up to its turn limit, then asks the human', () => {
    const input = buildRunInput(customerSupport, { message: 'help', runId: 'run-1', mode: 'autonomous' });
    input.plan = {
      ...input.plan,
      autonomous: {
        ...input.plan.autonomous,
        coordinator_agent: { enabled: true, prompt: 'Go on.', turnLimit: 2 },
      },
    };
    const machine = RunMachine.start(input, env);
    for (let i = 0; i < 2; i += 1) {
      expect(expectKind(machine.next(), 'agent_turn').input.wantsPrompt).toBe(false);
      machine.applyTurn(answer());
    }
    const third = expectKind(machine.next(), 'agent_turn');
    expect(third.input.events.find((e) => e.type === 'user_message')).toMatchObject({
      text: 'Go on.',
      synthetic: true,
    });
    expect(third.input.wantsPrompt).toBe(true);
    machine.applyTurn(answer(false, 'answer 2'));
    expect(expectKind(machine.next(), 'await_reply').request.prompt).toBe('answer 2');
  });

  it('stops at the turn cap with stopReason turn_limit', () => {
    const input = buildRunInput(customerSupport, { message: 'x', runId: 'run-1', mode: 'autonomous' });
    const capped = RunMachine.start({ ...input, plan: { ...input.plan, maxTurns: 1 } }, env);
    capped.next();
    capped.applyTurn(handoff('shipping_agent'));
    expect(expectKind(capped.next(), 'finish').finish.output.stopReason).toBe('turn_limit');
  });

  it('ends with stopReason error on a permanent failure, its events where the turn would have written', () => {
    const { machine } = start('autonomous');
    machine.next();
    machine.applyTurn(handoff('shipping_agent'));
    const turn = expectKind(machine.next(), 'agent_turn');
    machine.applyTurn({
      ok: false,
      error: {
        marker: 'durable-handoff.error',
        name: 'ModelCallError',
        code: 'authentication',
        message: 'bad key',
        isRetryable: false,
      },
    });
    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish.knownMessages).toBe(3);
    expect(finish.finish.events.map((e) => e.type)).toEqual(['error', 'executor_completed', 'status']);
    expect(finish.finish.events[0]!.seq).toBe(turn.input.firstSeq);
    expect(finish.finish.abandonedTurn).toBeUndefined();
    expect(machine.output()).toMatchObject({
      state: 'failed',
      stopReason: 'error',
      error: { code: 'authentication' },
    });
  });

  it('tries a turn whose model is not answering again on a durable timer, with a warning per retry, five attempts in all', () => {
    const { machine } = start('autonomous');
    const first = expectKind(machine.next(), 'agent_turn');
    const unavailable: AgentTurnOutput = {
      ok: false,
      retry: true,
      error: {
        marker: 'durable-handoff.error',
        name: 'ModelCallError',
        code: 'server_error',
        message: 'the model answered HTTP 503: overloaded',
        isRetryable: true,
      },
    };
    const waits: string[] = [];
    const attempts = [first];
    for (let attempt = 1; attempt < 5; attempt += 1) {
      machine.applyTurn(unavailable);
      waits.push(expectKind(machine.next(), 'wait_to_retry').until);
      machine.retryNow();
      attempts.push(expectKind(machine.next(), 'agent_turn'));
    }
    // 2, 4, 8, 16 s after the (fixed) orchestration time.
    expect(waits).toEqual([2, 4, 8, 16].map((s) => new Date(Date.parse(T0) + s * 1000).toISOString()));
    // Each retry reads the journal of the first attempt, and says which attempt it is.
    expect(attempts.map((turn) => turn.input.retry)).toEqual([
      undefined,
      ...[2, 3, 4, 5].map((attempt) => ({ attempt, recordsAt: first.input.firstSeq })),
    ]);
    machine.applyTurn(unavailable);
    const finish = expectKind(machine.next(), 'finish');
    const warnings = finish.finish.events.filter((e) => e.type === 'warning');
    expect(warnings).toEqual([]); // written by the syncs before each retried turn
    expect(machine.output()).toMatchObject({
      state: 'failed',
      stopReason: 'error',
      error: {
        code: 'server_error',
        message:
          'The agent turn failed on every attempt (5). Last error: the model answered HTTP 503: overloaded',
      },
    });
    const handedOver = attempts.flatMap((turn) => turn.input.events).filter((e) => e.type === 'warning');
    expect(handedOver.map((e) => (e.type === 'warning' ? e.retry : undefined))).toEqual(
      [2, 3, 4, 5].map((attempt, i) => ({ attempt, of: 5, inMs: 2000 * 2 ** i })),
    );
  });

  it('hands the finish what a turn that failed on every attempt was handed, and leaves its slot to the finish', () => {
    const { machine } = start('autonomous');
    machine.next();
    machine.applyTurn(handoff('shipping_agent'));
    const turn = expectKind(machine.next(), 'agent_turn');
    machine.applyTurnFailure('storage_unavailable', 'The run store did not answer.');
    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish.events.slice(0, turn.input.events.length)).toEqual(turn.input.events);
    const closing = finish.finish.events.slice(turn.input.events.length);
    expect(closing.map((e) => e.type)).toEqual(['error', 'executor_completed', 'status']);
    expect(closing[0]!.seq).toBe(turn.input.firstSeq);
    // If an attempt committed after all, it wrote the agent's end itself.
    expect(finish.finish.abandonedTurn).toEqual({
      firstSeq: turn.input.firstSeq,
      unlessCommitted: [closing[1]!.seq],
    });
    expect(finish.finish.knownMessages).toBe(turn.input.knownMessages);
  });

  it('hands the finish what the turn in flight was handed when the run is cancelled during it', () => {
    const { machine } = start('human_in_loop');
    const turn = expectKind(machine.next(), 'agent_turn');
    machine.applyCancel('customer left');
    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish.knownMessages).toBe(0);
    expect(finish.finish.events.slice(0, turn.input.events.length)).toEqual(turn.input.events);
    expect(finish.finish.abandonedTurn).toEqual({ firstSeq: turn.input.firstSeq, unlessCommitted: [] });
    const seqs = [...seqsOf(finish.finish.events), finish.finish.output.seq];
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(machine.status()).toMatchObject({ state: 'terminated', stopReason: 'cancelled' });
  });

  it('counts a cancelled turn that the finish found committed', () => {
    const { machine } = start('human_in_loop');
    machine.next();
    machine.applyCancel(undefined);
    machine.next();
    machine.applyFinish({ committedTurn: { usage } });
    expect(machine.output()).toMatchObject({
      stopReason: 'cancelled',
      turns: 1,
      usage: { coordinator_agent: usage },
    });
  });

  it('ends without a finish when the turn that ends the run stored the closing events under the next two seqs', () => {
    const { machine } = start('autonomous');
    machine.next();
    machine.applyTurn(handoff('shipping_agent'));
    const second = expectKind(machine.next(), 'agent_turn');
    const closed = answer(true);
    if (closed.ok && closed.turn.kind === 'completed' && 'events' in closed.turn)
      closed.turn.closedRun = true;
    machine.applyTurn(closed);
    expectKind(machine.next(), 'finished');
    // status and output follow the turn's 4 events: the status says the run's last seq is the output's.
    expect(machine.status()).toMatchObject({
      state: 'completed',
      stopReason: 'terminated_by_condition',
      turn: 2,
      lastSeq: second.input.firstSeq + 4 + 1,
    });
    expect(machine.output()).toEqual(completedOutput(2, { coordinator_agent: usage, shipping_agent: usage }));
  });

  it('ends as the turn that ended the run says when the finish of a cancel finds it committed', () => {
    const { machine } = start('human_in_loop');
    machine.next();
    machine.applyCancel('too late');
    machine.next();
    machine.applyFinish({ committedTurn: { usage, closedRun: true } });
    expect(machine.output()).toEqual(completedOutput(1, { coordinator_agent: usage }));
  });

  it('continues as new every N turns carrying everything, and the next generation picks up exactly there', () => {
    const input = buildRunInput(customerSupport, { message: 'x', runId: 'run-1', mode: 'autonomous' });
    const machine = RunMachine.start({ ...input, plan: { ...input.plan, continueAsNewEvery: 1 } }, env);
    const first = expectKind(machine.next(), 'agent_turn');
    machine.applyTurn(handoff('shipping_agent'));
    const can = expectKind(machine.next(), 'continue_as_new');
    expect(can.input.carried).toMatchObject({
      schemaVersion: 3,
      generation: 2,
      activeAgent: 'shipping_agent',
      turn: 1,
      messageCount: 3,
      nextSeq: first.input.firstSeq + 4,
    });
    // Counters, not the conversation: a long conversation does not make every generation heavier.
    expect(JSON.stringify(can.input.carried)).not.toContain('never received');
    const resumed = RunMachine.resume({ ...can.input, carried: can.input.carried! }, env);
    expect(resumed.isContinuation).toBe(true);
    const sync = resumed.takeSync(true);
    resumed.applySync({ replies: [], storedMessages: true });
    const next = expectKind(resumed.next(), 'agent_turn');
    const seqs = [
      ...seqsOf(first.input.events),
      ...written(first, 4),
      ...seqsOf(sync.events),
      ...seqsOf(next.input.events),
    ];
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(next.input).toMatchObject({ agent: 'shipping_agent', turn: 2, knownMessages: 3 });
  });

  it('leaves the carried state it resumes from as it was, so every episode of a generation starts from the same input', () => {
    // A generation that ends after a turn, a reply and an autonomous prompt: usage, reply ids and
    // autonomous turns in the carried state, each of which the next generation changes.
    const input = buildRunInput(customerSupport, { message: 'x', runId: 'run-1', mode: 'human_in_loop' });
    const first = RunMachine.start({ ...input, plan: { ...input.plan, continueAsNewEvery: 2 } }, env);
    first.next();
    first.applyTurn(answer(false, 'Which order?'));
    const wait = expectKind(first.next(), 'await_reply');
    first.applySync({ replies: [], storedMessages: true });
    expect(first.applyReply({ replyId: 'r1', message: 'Order 7', requestId: wait.request.requestId })).toBe(
      'accepted',
    );
    first.next();
    first.applyTurn(handoff('refund_agent'));
    const can = expectKind(first.next(), 'continue_as_new');
    const carried = can.input.carried!;
    expect(carried).toMatchObject({
      recentReplyIds: ['r1'],
      usage: { coordinator_agent: expect.anything() },
    });
    const before = JSON.stringify(carried);
    deepFreeze(carried);

    // What one episode of the next generation does with it; any change in place of the frozen input throws.
    const episode = () => {
      let requests = 0;
      const episodeEnv: RunEnvironment = { now: () => T0, newId: () => `episode-request-${(requests += 1)}` };
      const machine = RunMachine.resume({ ...can.input, carried }, episodeEnv);
      const steps: unknown[] = [machine.takeSync(true)];
      machine.applySync({
        replies: [{ replyId: 'r2', message: 'It is order 7', receivedAt: T0 }],
        storedMessages: true,
      });
      steps.push(machine.next());
      machine.applyTurn(answer(false, 'Anything else?'));
      steps.push(machine.next(), machine.status());
      expect(machine.applyReply({ replyId: 'r3', message: 'No' })).toBe('accepted');
      steps.push(machine.next());
      machine.applyTurn(answer(true));
      steps.push(machine.next(), machine.output());
      return JSON.stringify(steps);
    };
    const replayed = episode();
    expect(episode()).toBe(replayed);
    expect(JSON.stringify(carried)).toBe(before);
    expect(replayed).toContain('"turns":4');
  });

  it('adopts the new plan a turn reports, leaving the warning to the turn that wrote its events', () => {
    const { machine } = start('autonomous');
    machine.next();
    const plan = { ...customerSupport.plan(), version: 'f'.repeat(64), maxTurns: 1 };
    machine.applyTurn({ ...handoff('shipping_agent'), redeployed: { version: plan.version, plan } });
    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish.output.stopReason).toBe('turn_limit');
    expect(finish.finish.events.map((e) => e.type)).toEqual(['status']);
  });

  describe('runs started by builds before #12', () => {
    /** Where these runs' carried state stands: refund_agent after turn 2 (one handoff), a reply at seq 9 pending. */
    const AT_TURN_2 = {
      activeAgent: 'refund_agent',
      turn: 2,
      autonomousTurns: {},
      checkTerminationFirst: true,
      nextSeq: 10,
      usage: {},
      handoffs: 1,
    };

    it('writes the events of a turn that returned a summary with texts, as those builds did', () => {
      const { machine } = start('human_in_loop');
      const turn = expectKind(machine.next(), 'agent_turn');
      machine.applyTurn(legacyAnswer('What is the issue?'));
      const wait = expectKind(machine.next(), 'await_reply');
      expect(wait.request.prompt).toBe('What is the issue?');
      expect(wait.sync.events.map((e) => e.type)).toEqual([
        'agent_response',
        'executor_completed',
        'executor_invoked',
        'executor_completed',
        'request_info',
      ]);
      expect(wait.sync.events[0]!.seq).toBe(turn.input.firstSeq);
    });

    it('resumes from the carried state of those builds, whose unsaved messages travel with their events', () => {
      const input = buildRunInput(customerSupport, { message: 'x', runId: 'run-1', mode: 'human_in_loop' });
      const reply = {
        type: 'user_message',
        seq: 9,
        timestamp: T0,
        text: 'Order 7',
        requestId: 'q1',
      } as const;
      const parsed = OrchestrationInputSchema.parse({
        ...input,
        carried: {
          schemaVersion: 2,
          generation: 2,
          messageCount: 4,
          unsaved: [{ role: 'user', text: 'Order 7' }],
          ...AT_TURN_2,
          pendingEvents: [reply],
          recentReplyIds: ['r1'],
          unmarkedReplyIds: ['r1'],
        },
      });
      expect(parsed.carried).toMatchObject({ schemaVersion: 3, messageCount: 4 });
      expect(parsed.carried?.unstored).toBeUndefined();
      const machine = RunMachine.resume({ ...parsed, carried: parsed.carried! }, env);
      const sync = machine.takeSync(true);
      expect(sync).toMatchObject({ knownMessages: 3, events: [reply] });
      machine.applySync({ replies: [], storedMessages: true });
      const turn = expectKind(machine.next(), 'agent_turn');
      expect(turn.input).toMatchObject({ knownMessages: 4, turn: 3 });
      expect(turn.input.append).toBeUndefined();
    });

    it('hands the next turn the user messages a sync of those builds stored events of only', () => {
      const input = buildRunInput(customerSupport, { message: 'x', runId: 'run-1', mode: 'human_in_loop' });
      const reply = { type: 'user_message', seq: 9, timestamp: T0, text: 'Order 7' } as const;
      const parsed = OrchestrationInputSchema.parse({
        ...input,
        carried: {
          schemaVersion: 3,
          generation: 2,
          messageCount: 4,
          ...AT_TURN_2,
          pendingEvents: [reply],
          recentReplyIds: [],
          unmarkedReplyIds: [],
        },
      });
      const machine = RunMachine.resume({ ...parsed, carried: parsed.carried! }, env);
      machine.takeSync(true);
      machine.applySync({ replies: [] }); // no `storedMessages`: an earlier build's sync
      const turn = expectKind(machine.next(), 'agent_turn');
      expect(turn.input).toMatchObject({ knownMessages: 3, append: [{ role: 'user', text: 'Order 7' }] });
      expect(turn.input.events.filter((e) => e.type === 'user_message')).toEqual([]);
    });
  });
});
