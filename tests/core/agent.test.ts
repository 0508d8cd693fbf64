import { z } from 'zod';
import { agent } from '../../src/core/agent';
import { WorkflowDefinitionError } from '../../src/core/errors';
import { tool } from '../../src/core/tool';

const echo = tool({
  name: 'echo',
  description: 'Echo.',
  parameters: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

describe('agent()', () => {
  it('returns a frozen definition with no tools and no MCP servers by default', () => {
    const refund = agent({ name: 'refund_agent', instructions: 'Handle refunds.' });
    expect(refund).toEqual({ name: 'refund_agent', instructions: 'Handle refunds.', tools: [], mcp: [] });
    expect(Object.isFrozen(refund)).toBe(true);
  });

  it.each(['refund agent', '', 'x'.repeat(49), 'agent.name', 'agënt'])(
    'rejects the name %j and says why',
    (name) => {
      expect(() => agent({ name, instructions: 'x' })).toThrow(WorkflowDefinitionError);
      expect(() => agent({ name, instructions: 'x' })).toThrow(
        /use 1-48 letters, digits, '_' or '-' \(the name becomes part of the tool name/,
      );
    },
  );

  it('accepts a 48-character name, the longest that keeps handoff_to_<name> within 64 characters', () => {
    expect(agent({ name: 'a'.repeat(48), instructions: 'x' }).name).toHaveLength(48);
  });

  it('needs instructions', () => {
    expect(() => agent({ name: 'a', instructions: '  ' })).toThrow("Agent 'a' needs instructions");
  });

  it('rejects unknown options, naming the allowed ones', () => {
    expect(() =>
      agent({ name: 'a', instructions: 'x', handoffs: [] } as unknown as Parameters<typeof agent>[0]),
    ).toThrow(
      "Agent 'a' has unknown option(s) handoffs. Allowed options: name, instructions, description, displayName, model, tools, mcp.",
    );
  });

  it('keeps a display name, trimmed, and rejects one that is empty, too long or more than one line', () => {
    expect(agent({ name: 'refund_agent', instructions: 'x', displayName: ' Refund desk ' }).displayName).toBe(
      'Refund desk',
    );
    expect(() => agent({ name: 'a', instructions: 'x', displayName: ' ' })).toThrow(
      "Agent 'a': displayName must be a non-empty string when given.",
    );
    for (const displayName of ['x'.repeat(61), 'Refund\ndesk']) {
      expect(() => agent({ name: 'a', instructions: 'x', displayName })).toThrow(
        "Agent 'a': displayName must be one line of at most 60 characters.",
      );
    }
  });

  it('rejects an empty description or model', () => {
    expect(() => agent({ name: 'a', instructions: 'x', description: '' })).toThrow(
      /description must be a non-empty string/,
    );
    expect(() => agent({ name: 'a', instructions: 'x', model: '' })).toThrow(/model must be a non-empty/);
  });

  it('rejects two tools with the same name and things that are not tools', () => {
    expect(() => agent({ name: 'a', instructions: 'x', tools: [echo, echo] })).toThrow(
      "Agent 'a' has two tools named 'echo'; tool names must be unique per agent.",
    );
    expect(() =>
      agent({ name: 'a', instructions: 'x', tools: [{ name: 'echo' } as unknown as typeof echo] }),
    ).toThrow(/tools\[0\] \('echo'\) is not a tool/);
  });
});
