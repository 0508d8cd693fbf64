import type { ConversationMessage } from '../../src/core/messages';
import type { HandoffWorkflow } from '../../src/core/workflow';
import {
  compileStrictly,
  loadAsModule,
  readmeTsBlock,
  strictCompilerOptions,
} from '../support/readme-snippet';

describe('the README port of the Agent Framework example', () => {
  const code = readmeTsBlock('## Port of the Agent Framework example');
  it('compiles in strict mode without a single diagnostic', () => {
    const options = strictCompilerOptions();
    expect(options.strict).toBe(true);
    const { report, statements } = compileStrictly(code, options);
    expect(report).toBe('');
    // Guard against a vacuous pass: the example itself was part of the program.
    expect(statements).toBeGreaterThan(5);
  });

  it("runs and builds the article's workflow: four participants, the coordinator first, a mesh of handoffs", () => {
    const example = loadAsModule(code);

    const workflow = example.workflow as HandoffWorkflow;
    expect(workflow.name).toBe('customer_support');
    expect(workflow.startAgent).toBe('coordinator_agent');
    expect(workflow.interactionMode).toBe('autonomous');
    expect(workflow.agentNames).toEqual([
      'coordinator_agent',
      'refund_agent',
      'shipping_agent',
      'technical_agent',
    ]);
    expect(workflow.handoffTargets('coordinator_agent').map((t) => t.toolName)).toEqual([
      'handoff_to_refund_agent',
      'handoff_to_shipping_agent',
      'handoff_to_technical_agent',
    ]);
    expect(workflow.edges).toHaveLength(12);

    const plain = example.shouldTerminate as (c: ConversationMessage[]) => boolean;
    const helpers = example.shouldTerminateWithHelpers as (c: ConversationMessage[]) => boolean;
    const conversations: ConversationMessage[][] = [
      [{ role: 'user', authorName: 'user', text: 'I never received my order #12345' }],
      [
        { role: 'user', authorName: 'user', text: 'I never received my order #12345' },
        {
          role: 'assistant',
          authorName: 'shipping_agent',
          text: 'It will be delivered within 2 business days.',
        },
      ],
      Array.from({ length: 6 }, (_, i) => ({
        role: 'user' as const,
        authorName: 'user',
        text: `message ${i}`,
      })),
    ];
    expect(conversations.map(plain)).toEqual([false, true, true]);
    expect(conversations.map(helpers)).toEqual(conversations.map(plain));
    expect(conversations.map((c) => workflow.shouldTerminate(c))).toEqual([false, true, true]);
  });
});
