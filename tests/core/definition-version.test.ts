import { z } from 'zod';
import { agent } from '../../src/core/agent';
import { HandoffBuilder } from '../../src/workflows/handoff-builder';
import { anyOf, maxMessages, textMentions } from '../../src/core/termination';
import { tool } from '../../src/core/tool';

interface Variant {
  refundInstructions?: string;
  refundDescription?: string;
  refundDisplayName?: string;
  edgeDescription?: string;
  maxTurns?: number;
  replyTimeoutMs?: number;
  limit?: number;
  keyword?: string;
  toolDescription?: string;
  execute?: () => string;
}

function build(v: Variant = {}): string {
  const lookup = tool({
    name: 'lookup_order',
    description: v.toolDescription ?? 'Look up an order.',
    parameters: z.object({ orderId: z.string() }),
    execute: v.execute ?? (() => 'found'),
  });
  const coordinator = agent({ name: 'coordinator_agent', instructions: 'Route the customer.' });
  const refund = agent({
    name: 'refund_agent',
    instructions: v.refundInstructions ?? 'You handle refund requests.',
    description: v.refundDescription ?? 'Refunds.',
    ...(v.refundDisplayName !== undefined ? { displayName: v.refundDisplayName } : {}),
  });
  const shipping = agent({
    name: 'shipping_agent',
    instructions: 'You resolve shipping issues.',
    tools: [lookup],
  });
  return new HandoffBuilder({ name: 'support' })
    .participants([refund, shipping])
    .withStartAgent(coordinator)
    .addHandoff(shipping, refund, { description: v.edgeDescription ?? 'Money back.' })
    .withMaxTurns(v.maxTurns ?? 100)
    .withReplyTimeout(v.replyTimeoutMs ?? 1000)
    .withTerminationCondition(anyOf(maxMessages(v.limit ?? 6), textMentions([v.keyword ?? 'resolved'])))
    .build().version;
}

describe('the definition version', () => {
  const original = build();

  it('is a SHA-256 hex string that stays the same for the same definition', () => {
    expect(original).toMatch(/^[0-9a-f]{64}$/);
    expect(build()).toBe(original);
  });

  it("changes when an agent's instructions change", () => {
    expect(build({ refundInstructions: 'You handle refund requests politely.' })).not.toBe(original);
  });

  it.each<[string, Variant]>([
    ['an agent description', { refundDescription: 'Handles refunds.' }],
    ['an edge description', { edgeDescription: 'Refund it.' }],
    ['the turn cap', { maxTurns: 99 }],
    ['the reply timeout', { replyTimeoutMs: 2000 }],
    ['a termination helper argument', { limit: 7 }],
    ['a termination keyword', { keyword: 'fixed' }],
    ['a tool description', { toolDescription: 'Find an order.' }],
  ])('changes when %s changes', (_what, variant) => {
    expect(build(variant)).not.toBe(original);
  });

  it("does not change with an agent's display name, which only changes how people read its name", () => {
    expect(build({ refundDisplayName: 'Refund desk' })).toBe(original);
  });

  it('does not change when only a tool implementation changes, since functions cannot be hashed', () => {
    expect(build({ execute: () => 'a different implementation' })).toBe(original);
  });

  it('changes when a plain termination function is rewritten (hashed by its source text)', () => {
    const coordinator = agent({ name: 'c', instructions: 'Route.' });
    const make = (condition: (c: unknown[]) => boolean): string =>
      new HandoffBuilder({ name: 'w' })
        .participants([coordinator])
        .withStartAgent(coordinator)
        .withTerminationCondition(condition)
        .build().version;
    expect(make((c) => c.length >= 6)).toBe(make((c) => c.length >= 6));
    expect(make((c) => c.length >= 6)).not.toBe(make((c) => c.length >= 8));
  });
});
