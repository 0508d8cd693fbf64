import { z } from 'zod';
import { agent } from '../../../src/core/agent';
import {
  ModelBehaviorError,
  ModelCallError,
  ToolExecutionError,
  WorkflowInputError,
} from '../../../src/core/errors';
import { HandoffBuilder } from '../../../src/workflows/handoff-builder';
import type { TranscriptMessage } from '../../../src/core/messages';
import { anyOf, maxMessages, textMentions } from '../../../src/core/termination';
import { type ToolContext, tool } from '../../../src/core/tool';
import { AgentTurnResultSchema, type AgentTurnResult } from '../../../src/core/turn-result';
import { runAgentTurn } from '../../../src/model/agent-turn/run-agent-turn';
import type {
  RecordedResponse,
  RecordedToolResult,
  TurnJournal,
} from '../../../src/model/agent-turn/turn-journal';
import { ScriptedChatModel } from './scripted-chat-model';

const toolCalls: { args: unknown; context: ToolContext }[] = [];
let inventoryDown = false;
const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up an order by number.',
  parameters: z.object({ orderId: z.string() }),
  execute: (args, context) => {
    toolCalls.push({ args, context });
    if (inventoryDown) throw new Error('inventory service unavailable');
    return { orderId: args.orderId, status: 'in_transit', eta: '2 business days' };
  },
});

const coordinator = agent({ name: 'coordinator_agent', instructions: 'Route the customer.' });
const refund = agent({ name: 'refund_agent', instructions: 'You handle refund requests.' });
const shipping = agent({
  name: 'shipping_agent',
  instructions: 'You resolve shipping issues.',
  tools: [lookupOrder],
});
const workflow = new HandoffBuilder({ name: 'customer_support' })
  .withStartAgent(coordinator)
  .participants([refund, shipping])
  .addHandoff(shipping, refund)
  .withTerminationCondition(anyOf(maxMessages(6), textMentions(['delivered', 'resolved'])))
  .build();

const missingOrder: TranscriptMessage[] = [{ role: 'user', text: 'I never received my order #12345' }];

function completed(result: AgentTurnResult): Extract<AgentTurnResult, { kind: 'completed' }> {
  if (result.kind !== 'completed') throw new Error(`expected a completed turn, got ${result.kind}`);
  // The result crosses an activity boundary: it must survive JSON and match its schema.
  expect(AgentTurnResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
  return result;
}

beforeEach(() => {
  toolCalls.length = 0;
  inventoryDown = false;
});

describe('runAgentTurn', () => {
  it('hands off to shipping_agent when the customer reports a missing order', async () => {
    const model = new ScriptedChatModel([
      {
        text: '',
        toolCalls: [
          { id: 'call_a', name: 'handoff_to_shipping_agent', arguments: '{"reason":"missing order"}' },
        ],
      },
    ]);
    const result = completed(
      await runAgentTurn({
        workflow,
        agentName: 'coordinator_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: true,
      }),
    );
    expect(result.decision).toEqual({ kind: 'handoff', target: 'shipping_agent', reason: 'missing order' });
    expect(result.terminate).toBe(false);
    expect(result.messages).toEqual([
      {
        role: 'assistant',
        authorName: 'coordinator_agent',
        text: '',
        toolCalls: [
          { id: 'call_a', name: 'handoff_to_shipping_agent', arguments: '{"reason":"missing order"}' },
        ],
      },
      {
        role: 'tool',
        authorName: 'coordinator_agent',
        toolCallId: 'call_a',
        toolName: 'handoff_to_shipping_agent',
        text: 'Transferred to shipping_agent.',
      },
    ]);
    expect(result.usage).toEqual({ promptTokens: 10, completionTokens: 1, totalTokens: 11, requests: 1 });
    expect(result.warnings).toEqual([]);
    expect(model.requests[0]).toMatchObject({
      agentName: 'coordinator_agent',
      instructions: 'Route the customer.',
      parallelToolCalls: false,
      messages: missingOrder,
    });
    expect(model.requests[0]?.tools.map((t) => t.name)).toEqual([
      'handoff_to_refund_agent',
      'handoff_to_shipping_agent',
    ]);
  });

  it('skips the turn without calling the model when the condition already holds on new input', async () => {
    const model = new ScriptedChatModel([]);
    const resolved: TranscriptMessage[] = [{ role: 'user', text: 'Thanks, it is resolved now.' }];
    expect(
      await runAgentTurn({
        workflow,
        agentName: 'coordinator_agent',
        transcript: resolved,
        model,
        checkTerminationFirst: true,
      }),
    ).toEqual({
      kind: 'terminated_before_turn',
    });
    expect(model.requests).toHaveLength(0);
  });

  it('does not check the condition first when no new input entered, and reports the verdict after the reply', async () => {
    const model = new ScriptedChatModel([{ text: 'Your package will be delivered within 2 business days.' }]);
    const transcript: TranscriptMessage[] = [{ role: 'user', text: 'It is resolved?' }];
    const result = completed(
      await runAgentTurn({
        workflow,
        agentName: 'shipping_agent',
        transcript,
        model,
        checkTerminationFirst: false,
      }),
    );
    expect(result.decision).toEqual({ kind: 'respond' });
    expect(result.terminate).toBe(true);
    expect(model.requests).toHaveLength(1);
  });

  it('answers without terminating when the reply does not meet the condition', async () => {
    const model = new ScriptedChatModel([{ text: 'Could you give me your order number?' }]);
    const result = completed(
      await runAgentTurn({
        workflow,
        agentName: 'refund_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: true,
      }),
    );
    expect(result).toMatchObject({ decision: { kind: 'respond' }, terminate: false });
    expect(result.messages).toEqual([
      { role: 'assistant', authorName: 'refund_agent', text: 'Could you give me your order number?' },
    ]);
    expect(model.requests[0]?.parallelToolCalls).toBeUndefined();
  });

  it("runs the agent's own tool inside the turn and gives the model its result", async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: '{"orderId":"12345"}' }] },
      { text: 'I located your package; it arrives within 2 business days.' },
    ]);
    const result = completed(
      await runAgentTurn({
        workflow,
        agentName: 'shipping_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: false,
      }),
    );
    expect(toolCalls).toEqual([
      {
        args: { orderId: '12345' },
        context: {
          workflowName: 'customer_support',
          runId: 'local',
          agentName: 'shipping_agent',
          toolCallId: 'call_1',
          idempotencyKey: 'local:call_1',
        },
      },
    ]);
    expect(result.messages.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant']);
    expect(result.messages[1]).toEqual({
      role: 'tool',
      authorName: 'shipping_agent',
      toolCallId: 'call_1',
      toolName: 'lookup_order',
      text: '{"orderId":"12345","status":"in_transit","eta":"2 business days"}',
    });
    expect(model.requests[1]?.messages).toEqual([...missingOrder, ...result.messages.slice(0, 2)]);
    expect(result.usage.requests).toBe(2);
    expect(result.usage.totalTokens).toBe(11 + 22);
  });

  it('replays what its journal recorded: a recorded response is not requested again, a recorded result not executed again', async () => {
    const recorded = new Map<string, unknown>();
    const journal: TurnJournal = {
      response: async (step, request) => {
        const key = `m${step}`;
        if (!recorded.has(key)) recorded.set(key, await request());
        return recorded.get(key) as RecordedResponse;
      },
      toolResult: async (step, index, _callId, run) => {
        const key = `t${step}-${index}`;
        if (!recorded.has(key)) recorded.set(key, await run());
        return recorded.get(key) as RecordedToolResult;
      },
    };
    const failing = new ScriptedChatModel([
      { toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: '{"orderId":"12345"}' }] },
      { error: new ModelCallError('server_error', 'The model answered 503.', { statusCode: 503 }) },
    ]);
    const attempt = (model: ScriptedChatModel) =>
      runAgentTurn({
        workflow,
        agentName: 'shipping_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: false,
        journal,
      });
    await expect(attempt(failing)).rejects.toMatchObject({ code: 'server_error' });
    expect(toolCalls).toHaveLength(1);
    // The next attempt gets the lookup from the journal and asks the model only for the answer.
    const retry = new ScriptedChatModel([{ text: 'Your package arrives within 2 business days.' }]);
    const result = completed(await attempt(retry));
    expect(retry.requests).toHaveLength(1);
    expect(toolCalls).toHaveLength(1);
    expect(result.messages.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant']);
    expect(result.toolRuns).toEqual([
      { callId: 'call_1', tool: 'lookup_order', arguments: { orderId: '12345' }, ok: true },
    ]);
  });

  it('stops before a call that needs approval, asking about it, and resumes with the answer', async () => {
    const refunder = agent({
      name: 'refund_agent',
      instructions: 'Refund.',
      tools: [
        tool({
          name: 'refund',
          description: 'Refund an amount.',
          parameters: z.object({ amount: z.number() }),
          needsApproval: ({ amount }) => amount > 100,
          execute: ({ amount }) => ({ refunded: amount }),
        }),
      ],
    });
    const approvedWorkflow = new HandoffBuilder({ name: 'desk' })
      .participants([refunder])
      .withStartAgent(refunder)
      .build();
    const model = new ScriptedChatModel([
      {
        toolCalls: [
          { id: 'small', name: 'refund', arguments: '{"amount":5}' },
          { id: 'large', name: 'refund', arguments: '{"amount":500}' },
        ],
      },
      { text: 'Refunded 5; the 500 was not approved.' },
    ]);
    const transcript: TranscriptMessage[] = [{ role: 'user', text: 'Refund me' }];
    const paused = await runAgentTurn({
      workflow: approvedWorkflow,
      agentName: 'refund_agent',
      transcript,
      model,
      checkTerminationFirst: false,
    });
    expect(paused).toMatchObject({
      kind: 'awaiting_approval',
      pending: [{ callId: 'large', tool: 'refund', arguments: { amount: 500 } }],
    });
    if (paused.kind !== 'awaiting_approval') throw new Error('not paused');
    // Nothing of the response ran; the turn's messages end with it.
    expect(paused.messages.map((m) => m.role)).toEqual(['assistant']);
    expect(paused.toolRuns).toBeUndefined();

    const resumed = completed(
      await runAgentTurn({
        workflow: approvedWorkflow,
        agentName: 'refund_agent',
        transcript: [...transcript, ...paused.messages],
        model,
        checkTerminationFirst: false,
        resume: { approvals: [{ callId: 'large', approved: false, reason: 'Too much' }], turnStartsAt: 1 },
      }),
    );
    expect(resumed.toolRuns).toEqual([
      { callId: 'small', tool: 'refund', arguments: { amount: 5 }, ok: true },
    ]);
    expect(
      model.requests[1]?.messages
        .slice(1)
        .map((m) => (m.role === 'tool' ? `${m.toolCallId}: ${m.text}` : m.role)),
    ).toEqual([
      'assistant',
      'small: {"refunded":5}',
      "large: Rejected: the human did not approve this call of 'refund', so it did not run. Reason: Too much",
    ]);
  });

  it('corrects a hallucinated handoff within the turn and follows the valid one that comes next', async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ id: 'c1', name: 'handoff_to_admin_agent', arguments: '{}' }] },
      { toolCalls: [{ id: 'c2', name: 'handoff_to_refund_agent', arguments: '{}' }] },
    ]);
    const result = completed(
      await runAgentTurn({
        workflow,
        agentName: 'shipping_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: false,
      }),
    );
    expect(result.decision).toEqual({ kind: 'handoff', target: 'refund_agent' });
    expect(result.warnings).toEqual([
      {
        code: 'invalid_handoff',
        message: "Agent 'shipping_agent' may not hand off to 'admin_agent'. Allowed targets: refund_agent.",
      },
    ]);
    const correction = model.requests[1]?.messages.at(-1);
    expect(correction).toEqual({
      role: 'tool',
      authorName: 'shipping_agent',
      toolCallId: 'c1',
      toolName: 'handoff_to_admin_agent',
      text: "Agent 'shipping_agent' may not hand off to 'admin_agent'. Allowed targets: refund_agent.",
    });
  });

  it('gives up with ModelBehaviorError when the model keeps inventing handoffs past the bound', async () => {
    const hallucination = { toolCalls: [{ id: 'c', name: 'handoff_to_admin_agent', arguments: '{}' }] };
    const model = new ScriptedChatModel([hallucination, hallucination, hallucination]);
    await expect(
      runAgentTurn({
        workflow,
        agentName: 'shipping_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: false,
        limits: { maxCorrections: 2 },
      }),
    ).rejects.toThrow(ModelBehaviorError);
    expect(model.requests).toHaveLength(3);
    expect(model.remaining).toBe(0);
  });

  it('reports a failing tool to the model, and ends the turn with ToolExecutionError when it keeps failing', async () => {
    inventoryDown = true;
    const lookup = { toolCalls: [{ id: 'c', name: 'lookup_order', arguments: '{"orderId":"12345"}' }] };
    const recovering = new ScriptedChatModel([lookup, { text: 'I cannot reach the inventory right now.' }]);
    const result = completed(
      await runAgentTurn({
        workflow,
        agentName: 'shipping_agent',
        transcript: missingOrder,
        model: recovering,
        checkTerminationFirst: false,
      }),
    );
    expect(result.messages[1]).toMatchObject({
      role: 'tool',
      text: "Tool 'lookup_order' failed: inventory service unavailable",
    });
    expect(result.warnings).toEqual([
      {
        code: 'tool_error',
        message: "Agent 'shipping_agent': Tool 'lookup_order' failed: inventory service unavailable",
      },
    ]);

    const stubborn = new ScriptedChatModel([lookup, lookup]);
    await expect(
      runAgentTurn({
        workflow,
        agentName: 'shipping_agent',
        transcript: missingOrder,
        model: stubborn,
        checkTerminationFirst: false,
        limits: { maxToolErrors: 1 },
      }),
    ).rejects.toThrow(ToolExecutionError);
    expect(stubborn.requests).toHaveLength(2);
  });

  it('gives up with ModelBehaviorError when the model keeps calling tools without answering', async () => {
    const lookup = { toolCalls: [{ id: 'c', name: 'lookup_order', arguments: '{"orderId":"1"}' }] };
    const model = new ScriptedChatModel([lookup, lookup, lookup]);
    await expect(
      runAgentTurn({
        workflow,
        agentName: 'shipping_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: false,
        limits: { maxToolRoundTrips: 2 },
      }),
    ).rejects.toThrow(
      "Agent 'shipping_agent' called its tools 3 times in one turn without answering (limit 2).",
    );
  });

  it('lets a model call error through untouched so the durable layer can classify it', async () => {
    const rateLimited = new ModelCallError('rate_limited', 'The model answered 429.', {
      statusCode: 429,
      retryAfterMs: 1000,
    });
    const model = new ScriptedChatModel([{ error: rateLimited }]);
    await expect(
      runAgentTurn({
        workflow,
        agentName: 'refund_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: false,
      }),
    ).rejects.toBe(rateLimited);
  });

  it('rejects an agent the workflow does not have, naming the agents', async () => {
    const model = new ScriptedChatModel([]);
    await expect(
      runAgentTurn({
        workflow,
        agentName: 'admin_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: true,
      }),
    ).rejects.toThrow(WorkflowInputError);
    expect(model.requests).toHaveLength(0);
  });

  it('does not call the model once the turn is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('run cancelled'));
    const model = new ScriptedChatModel([{ text: 'never sent' }]);
    await expect(
      runAgentTurn({
        workflow,
        agentName: 'refund_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: false,
        signal: controller.signal,
      }),
    ).rejects.toThrow('run cancelled');
    expect(model.requests).toHaveLength(0);
  });

  it('rejects limits that are not non-negative integers', async () => {
    const model = new ScriptedChatModel([]);
    await expect(
      runAgentTurn({
        workflow,
        agentName: 'refund_agent',
        transcript: missingOrder,
        model,
        checkTerminationFirst: false,
        limits: { maxCorrections: -1 },
      }),
    ).rejects.toThrow('Agent turn limit maxCorrections must be a non-negative integer, got -1.');
  });
});
