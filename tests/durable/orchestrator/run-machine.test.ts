import type { TranscriptMessage } from '../../../src/core/messages';
import { RunMachine, type RunEnvironment, type Step } from '../../../src/durable/orchestrator/run-machine';
import { buildRunInput } from '../../../src/durable/start-handoff-run';
import type { AgentTurnOutput } from '../../../src/durable/wire/agent-turn-activity';
import { customerSupport } from '../../../src/workflows/customer-support';

const T0 = '2026-11-24T10:00:00.000Z';
let ids = 0;
/** The orchestration's clock and ids, as the orchestrator hands them over (a fixed time here). */
const env: RunEnvironment = { now: () => T0, newId: () => `request-${(ids += 1)}` };
const usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15, requests: 1 };

/** The transcript messages a handoff turn adds (the activity stores them; the machine gets a summary). */
function handoffMessages(agent: string, target: string): TranscriptMessage[] {
  return [
    {
      role: 'assistant',
      authorName: agent,
      text: '',
      toolCalls: [{ id: 'c1', name: `handoff_to_${target}`, arguments: '{}' }],
    },
    {
      role: 'tool',
      authorName: agent,
      toolCallId: 'c1',
      toolName: `handoff_to_${target}`,
      text: `Transferred to ${target}.`,
    },
  ];
}

function handoff(_agent: string, target: string): AgentTurnOutput {
  return {
    ok: true,
    turn: {
      kind: 'completed',
      messageCount: 2,
      texts: [],
      decision: { kind: 'handoff', target },
      terminate: false,
      usage,
      warnings: [],
    },
  };
}

function answer(_agent: string, text: string, terminate = false): AgentTurnOutput {
  return {
    ok: true,
    turn: {
      kind: 'completed',
      messageCount: 1,
      texts: [text],
      decision: { kind: 'respond' },
      terminate,
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

function expectKind<K extends Step['kind']>(step: Step, kind: K): Extract<Step, { kind: K }> {
  expect(step.kind).toBe(kind);
  return step as Extract<Step, { kind: K }>;
}

describe('RunMachine', () => {
  it('hands off from coordinator_agent to shipping_agent and ends when the verdict says terminate', () => {
    const { machine } = start('autonomous');
    const first = expectKind(machine.next(), 'agent_turn');
    expect(first.input).toMatchObject({
      agent: 'coordinator_agent',
      turn: 1,
      knownMessages: 0,
      checkTerminationFirst: true,
    });
    expect(first.input.append).toEqual([{ role: 'user', text: 'I never received my order #12345' }]);
    machine.applyTurn(handoff('coordinator_agent', 'shipping_agent'));

    const second = expectKind(machine.next(), 'agent_turn');
    expect(second.input).toMatchObject({
      agent: 'shipping_agent',
      turn: 2,
      knownMessages: 3,
      append: [],
      checkTerminationFirst: false,
    });
    machine.applyTurn(answer('shipping_agent', 'It will be delivered within 2 business days.', true));

    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish).toMatchObject({
      knownMessages: 4,
      append: [],
      output: { stopReason: 'terminated_by_condition' },
    });
    // The finish activity reads the transcript back from the run store.
    const transcript: TranscriptMessage[] = [
      { role: 'user', text: 'I never received my order #12345' },
      ...handoffMessages('coordinator_agent', 'shipping_agent'),
      {
        role: 'assistant',
        authorName: 'shipping_agent',
        text: 'It will be delivered within 2 business days.',
      },
    ];
    const output = machine.output(transcript);
    expect(output).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition', turns: 2 });
    expect(output.conversation).toEqual([
      { role: 'user', authorName: 'user', text: 'I never received my order #12345' },
      {
        role: 'assistant',
        authorName: 'shipping_agent',
        text: 'It will be delivered within 2 business days.',
      },
    ]);
    const events = [...first.input.events, ...second.input.events, ...finish.finish.events];
    // The output event is written by the finish activity, with the seq reserved after the others.
    expect([...events.map((e) => e.seq), finish.finish.output.seq]).toEqual(
      [...events, 0].map((_, i) => i + 1),
    );
    const executors = events
      .filter((e) => e.type === 'executor_invoked' || e.type === 'executor_completed')
      .map((e) => `${e.type === 'executor_invoked' ? '+' : '-'}${'executorId' in e ? e.executorId : ''}`);
    expect(executors).toEqual([
      '+input-conversation',
      '-input-conversation',
      '+coordinator_agent',
      '-coordinator_agent',
      '+handoff-coordinator',
      '-handoff-coordinator',
      '+shipping_agent',
      '-shipping_agent',
      '+handoff-coordinator',
      '-handoff-coordinator',
    ]);
    expect(events.at(-1)?.type).toBe('status');
  });

  it('asks the human in human_in_loop mode and gives the reply to the agent that asked', () => {
    const { machine } = start('human_in_loop');
    machine.next();
    machine.applyTurn(handoff('coordinator_agent', 'refund_agent'));
    machine.next();
    machine.applyTurn(answer('refund_agent', 'Which order is it?'));
    const wait = expectKind(machine.next(), 'await_reply');
    expect(wait.request).toMatchObject({ agent: 'refund_agent', prompt: 'Which order is it?' });
    expect(wait.request.deadline).toBe('2026-11-25T10:00:00.000Z');
    expect(machine.status()).toMatchObject({
      state: 'awaiting_input',
      pendingRequest: { agent: 'refund_agent' },
    });
    expect(wait.sync.events.at(-1)).toMatchObject({ type: 'request_info', agent: 'refund_agent' });

    expect(machine.applyReply({ replyId: 'r1', message: 'Order 7', requestId: wait.request.requestId })).toBe(
      'accepted',
    );
    const next = expectKind(machine.next(), 'agent_turn');
    expect(next.input).toMatchObject({
      agent: 'refund_agent',
      checkTerminationFirst: true,
      handledReplyIds: ['r1'],
    });
    expect(next.input.append).toEqual([{ role: 'user', text: 'Order 7' }]);
  });

  it('ignores a stale reply with a warning and a duplicate silently', () => {
    const { machine } = start('human_in_loop');
    machine.next();
    machine.applyTurn(answer('coordinator_agent', 'What is the issue?'));
    const wait = expectKind(machine.next(), 'await_reply');
    expect(machine.applyReply({ replyId: 'old', message: 'hi', requestId: 'not-the-open-one' })).toBe(
      'ignored',
    );
    expect(machine.applyReply({ replyId: 'ok', message: 'shipping' })).toBe('accepted');
    expect(machine.applyReply({ replyId: 'ok', message: 'shipping' })).toBe('ignored');
    const next = expectKind(machine.next(), 'agent_turn');
    const warning = next.input.events.find((e) => e.type === 'warning');
    expect(warning).toMatchObject({ code: 'stale_reply' });
    expect(next.input.append).toEqual([{ role: 'user', text: 'shipping' }]);
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
      machine.next();
      machine.applyTurn(answer('coordinator_agent', `answer ${i}`));
    }
    const third = expectKind(machine.next(), 'agent_turn');
    expect(third.input.append).toEqual([{ role: 'user', text: 'Go on.', synthetic: true }]);
    machine.applyTurn(answer('coordinator_agent', 'answer 2'));
    expectKind(machine.next(), 'await_reply');
  });

  it('stops at the turn cap with stopReason turn_limit', () => {
    const { machine } = start('autonomous', {});
    const input = buildRunInput(customerSupport, { message: 'x', runId: 'run-1', mode: 'autonomous' });
    const capped = RunMachine.start({ ...input, plan: { ...input.plan, maxTurns: 1 } }, env);
    capped.next();
    capped.applyTurn(handoff('coordinator_agent', 'shipping_agent'));
    expect(expectKind(capped.next(), 'finish').finish.output.stopReason).toBe('turn_limit');
    expect(machine.status().state).toBe('running');
  });

  it('ends with stopReason error, keeping the conversation so far, on a permanent failure', () => {
    const { machine } = start('autonomous');
    machine.next();
    machine.applyTurn(handoff('coordinator_agent', 'shipping_agent'));
    machine.next();
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
    expect(machine.output([])).toMatchObject({
      state: 'failed',
      stopReason: 'error',
      error: { code: 'authentication' },
    });
    expect(finish.finish.events.map((e) => e.type)).toEqual(['error', 'executor_completed', 'status']);
  });

  it('hands the finish activity again what a turn that failed on every attempt was handed, so no event or message goes missing', () => {
    const { machine } = start('autonomous');
    machine.next();
    machine.applyTurn(handoff('coordinator_agent', 'shipping_agent'));
    const turn = expectKind(machine.next(), 'agent_turn');
    // The run store may have been unreachable on every attempt: nothing of the turn's input is stored.
    machine.applyTurnFailure('storage_unavailable', 'The run store did not answer.');
    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish.events.slice(0, turn.input.events.length)).toEqual(turn.input.events);
    expect(finish.finish.events.map((e) => e.type).slice(turn.input.events.length)).toEqual([
      'error',
      'executor_completed',
      'status',
    ]);
    const seqs = finish.finish.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(finish.finish.append).toEqual(turn.input.append);
    expect(finish.finish.knownMessages).toBe(turn.input.knownMessages);
    expect(finish.finish.output).toMatchObject({ stopReason: 'error', seq: seqs.at(-1)! + 1 });
  });

  it('hands the finish activity again what the turn in flight was handed when the run is cancelled during it', () => {
    const { machine } = start('human_in_loop');
    const turn = expectKind(machine.next(), 'agent_turn');
    expect(turn.input.append).toEqual([{ role: 'user', text: 'I never received my order #12345' }]);
    machine.applyCancel('customer left');
    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish.append).toEqual(turn.input.append);
    expect(finish.finish.knownMessages).toBe(0);
    expect(finish.finish.events.slice(0, turn.input.events.length)).toEqual(turn.input.events);
    const seqs = finish.finish.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('does not hand over again what a completed turn was handed', () => {
    const { machine } = start('autonomous');
    machine.next();
    machine.applyTurn(handoff('coordinator_agent', 'shipping_agent'));
    const turn = expectKind(machine.next(), 'agent_turn');
    machine.applyTurn(answer('shipping_agent', 'It ships tomorrow.', true));
    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish.append).toEqual([]);
    expect(finish.finish.events[0]!.seq).toBe(turn.input.events.at(-1)!.seq + 1);
  });

  it('continues as new every N turns carrying everything, and the next generation picks up exactly there', () => {
    const input = buildRunInput(customerSupport, { message: 'x', runId: 'run-1', mode: 'autonomous' });
    const machine = RunMachine.start({ ...input, plan: { ...input.plan, continueAsNewEvery: 1 } }, env);
    const first = expectKind(machine.next(), 'agent_turn');
    machine.applyTurn(handoff('coordinator_agent', 'shipping_agent'));
    const can = expectKind(machine.next(), 'continue_as_new');
    expect(can.input.carried).toMatchObject({
      generation: 2,
      activeAgent: 'shipping_agent',
      turn: 1,
      messageCount: 3,
      unsaved: [],
    });
    // Counters, not the conversation: a long conversation does not make every generation heavier.
    expect(JSON.stringify(can.input.carried)).not.toContain('Transferred to');
    const resumed = RunMachine.resume({ ...can.input, carried: can.input.carried! }, env);
    expect(resumed.isContinuation).toBe(true);
    const sync = resumed.takeSync(true);
    const next = expectKind(resumed.next(), 'agent_turn');
    const seqs = [...first.input.events, ...sync.events, ...next.input.events].map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(next.input).toMatchObject({ agent: 'shipping_agent', turn: 2, knownMessages: 3 });
  });

  it('records a definition change reported by a turn and adopts the new plan', () => {
    const { machine } = start('autonomous');
    machine.next();
    const output = handoff('coordinator_agent', 'shipping_agent');
    if (!output.ok) throw new Error('unreachable');
    const plan = { ...customerSupport.plan(), version: 'f'.repeat(64), maxTurns: 1 };
    machine.applyTurn({ ...output, redeployed: { version: plan.version, plan } });
    const finish = expectKind(machine.next(), 'finish');
    expect(finish.finish.output.stopReason).toBe('turn_limit');
    expect(finish.finish.events.find((e) => e.type === 'warning')).toMatchObject({
      code: 'definition_changed',
    });
  });

  it('records the cancel with closing events', () => {
    const { machine } = start('human_in_loop');
    machine.next();
    machine.applyCancel('customer left');
    expectKind(machine.next(), 'finish');
    expect(machine.output([])).toMatchObject({ state: 'terminated', stopReason: 'cancelled' });
    expect(machine.status()).toMatchObject({ state: 'terminated', stopReason: 'cancelled' });
  });
});
