import { z } from 'zod';
import { WorkflowDefinitionError } from '../../src/core/errors';
import { tool } from '../../src/core/tool';
import { parseHandoffReason, parseToolArguments } from '../../src/core/tool-arguments';

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Look up an order by number.',
  parameters: z.object({ orderId: z.string().describe('Order number'), verbose: z.boolean().default(false) }),
  execute: ({ orderId, verbose }) => ({ orderId, verbose }),
});

describe('tool()', () => {
  it('describes its parameters as JSON Schema of the input, without the $schema marker', () => {
    expect(lookupOrder.jsonSchema).toEqual({
      type: 'object',
      properties: {
        orderId: { type: 'string', description: 'Order number' },
        verbose: { type: 'boolean', default: false },
      },
      required: ['orderId'],
    });
  });

  it.each([
    ['a bad name', { name: 'look up' }, /Tool name "look up" is invalid/],
    [
      'the reserved handoff prefix',
      { name: 'handoff_to_admin' },
      /names starting with 'handoff_to_' are the generated handoff tools/,
    ],
    ['an empty description', { description: '' }, /needs a non-empty description/],
    [
      'parameters that are not a zod object',
      { parameters: z.string() },
      /parameters must be a zod object schema/,
    ],
    [
      'parameters JSON Schema cannot express',
      { parameters: z.object({ when: z.date() }) },
      /cannot be sent to a model as JSON Schema/,
    ],
  ])('rejects %s', (_what, override, message) => {
    const make = (): unknown =>
      tool({
        name: 'ok',
        description: 'ok',
        parameters: z.object({}),
        execute: () => 'ok',
        ...override,
      } as Parameters<typeof tool>[0]);
    expect(make).toThrow(WorkflowDefinitionError);
    expect(make).toThrow(message);
  });
});

describe('tool arguments', () => {
  it('are parsed as JSON and validated with the tool schema, defaults applied', () => {
    expect(parseToolArguments(lookupOrder, '{"orderId":"12345"}')).toEqual({
      ok: true,
      value: { orderId: '12345', verbose: false },
    });
  });

  it('report malformed JSON and schema failures in words the model can act on', () => {
    const malformed = parseToolArguments(lookupOrder, '{"orderId": 12345');
    expect(malformed.ok).toBe(false);
    expect(!malformed.ok && malformed.problem).toMatch(/^the arguments are not valid JSON/);
    expect(parseToolArguments(lookupOrder, '{"orderId": 12345}')).toEqual({
      ok: false,
      problem:
        'the arguments do not match the schema: orderId: Invalid input: expected string, received number',
    });
  });

  it('of a handoff carry an optional reason; bad ones never block the handoff', () => {
    expect(parseHandoffReason('')).toEqual({});
    expect(parseHandoffReason('{"reason":" lost parcel "}')).toEqual({ reason: 'lost parcel' });
    expect(parseHandoffReason('{"reason":')).toMatchObject({
      problem: expect.stringMatching(/not valid JSON/),
    });
    expect(parseHandoffReason('{"reason":42}')).toEqual({ problem: 'reason is a number, not a string' });
  });
});
