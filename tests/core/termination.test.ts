import { WorkflowDefinitionError } from '../../src/core/errors';
import type { ConversationMessage } from '../../src/core/messages';
import {
  allOf,
  anyOf,
  describeTerminationCondition,
  evaluateTerminationCondition,
  lastAuthorIs,
  maxMessages,
  maxUserMessages,
  textMentions,
} from '../../src/core/termination';
import { shipping } from './support-agents';

const user = (text: string, synthetic = false): ConversationMessage =>
  synthetic
    ? { role: 'user', authorName: 'user', text, synthetic: true }
    : { role: 'user', authorName: 'user', text };
const said = (authorName: string, text: string): ConversationMessage => ({
  role: 'assistant',
  authorName,
  text,
});

const lostOrder: ConversationMessage[] = [
  user('I never received my order #12345'),
  said('shipping_agent', 'I located the package; it will be Delivered within 2 business days.'),
];

describe('maxMessages', () => {
  it('holds once the conversation has at least n messages, synthetic prompts included', () => {
    expect(maxMessages(3)(lostOrder)).toBe(false);
    expect(maxMessages(3)([...lostOrder, user('Continue.', true)])).toBe(true);
  });

  it('rejects a count that is not a positive integer', () => {
    expect(() => maxMessages(0)).toThrow(WorkflowDefinitionError);
    expect(() => maxMessages(1.5)).toThrow('maxMessages needs a positive integer, got 1.5.');
  });
});

describe('maxUserMessages', () => {
  it('counts only human messages unless synthetic prompts are included', () => {
    const autonomous = [
      user('Help'),
      said('a', 'x'),
      user('Continue.', true),
      said('a', 'y'),
      user('Continue.', true),
    ];
    expect(maxUserMessages(2)(autonomous)).toBe(false);
    expect(maxUserMessages(2, { includeSynthetic: true })(autonomous)).toBe(true);
  });
});

describe('textMentions', () => {
  it('finds a keyword in any message, ignoring case, like the Python example', () => {
    expect(textMentions(['delivered'])(lostOrder)).toBe(true);
    expect(textMentions(['refunded'])(lostOrder)).toBe(false);
  });

  it('can be limited to the last message, a role, or exact case', () => {
    const conversation = [...lostOrder, user('thanks')];
    expect(textMentions(['delivered'], { lastMessageOnly: true })(conversation)).toBe(false);
    expect(textMentions(['order'], { role: 'assistant' })(conversation)).toBe(false);
    expect(textMentions(['order'], { role: 'user' })(conversation)).toBe(true);
    expect(textMentions(['delivered'], { caseSensitive: true })(conversation)).toBe(false);
    expect(textMentions(['Delivered'], { caseSensitive: true })(conversation)).toBe(true);
  });

  it('rejects an empty keyword list', () => {
    expect(() => textMentions([])).toThrow(/non-empty list of non-empty strings/);
    expect(() => textMentions([''])).toThrow(WorkflowDefinitionError);
  });
});

describe('lastAuthorIs', () => {
  it('holds when the last message comes from the named agent or from the user', () => {
    expect(lastAuthorIs(shipping)(lostOrder)).toBe(true);
    expect(lastAuthorIs('refund_agent')(lostOrder)).toBe(false);
    expect(lastAuthorIs('user')([user('hi')])).toBe(true);
    expect(lastAuthorIs('user')([])).toBe(false);
  });
});

describe('anyOf and allOf', () => {
  it('compose conditions: anyOf holds when one holds, allOf when every one holds', () => {
    expect(anyOf(maxMessages(10), textMentions(['delivered']))(lostOrder)).toBe(true);
    expect(anyOf(maxMessages(10), textMentions(['refunded']))(lostOrder)).toBe(false);
    expect(allOf(maxMessages(2), textMentions(['delivered']))(lostOrder)).toBe(true);
    expect(allOf(maxMessages(3), textMentions(['delivered']))(lostOrder)).toBe(false);
  });

  it('mix with plain functions', () => {
    const hasTwoAgents = (c: ConversationMessage[]): boolean => new Set(c.map((m) => m.authorName)).size > 2;
    expect(anyOf(hasTwoAgents, lastAuthorIs('user'))(lostOrder)).toBe(false);
  });

  it('refuse to be called with no conditions', () => {
    expect(() => anyOf()).toThrow(
      'anyOf() needs at least one condition; with none its answer would be meaningless.',
    );
    expect(() => allOf()).toThrow(WorkflowDefinitionError);
  });

  it('report a composed condition that returns a Promise instead of reading it as an answer', () => {
    const sneaky = (() => Promise.resolve(true)) as unknown as (c: ConversationMessage[]) => boolean;
    expect(() => anyOf(sneaky)(lostOrder)).toThrow(
      /returned a Promise; it must return true or false synchronously/,
    );
  });
});

describe('conditions and the definition text', () => {
  it('describe helpers by their arguments, so changing a limit changes the description', () => {
    expect(describeTerminationCondition(anyOf(maxMessages(6), lastAuthorIs('x')))).toBe(
      'anyOf(maxMessages(6),lastAuthorIs("x"))',
    );
    expect(describeTerminationCondition(maxMessages(6))).not.toBe(
      describeTerminationCondition(maxMessages(7)),
    );
  });

  it('gives each condition a fresh copy of the conversation', () => {
    const conversation = [...lostOrder];
    evaluateTerminationCondition((c) => {
      c.pop();
      return false;
    }, conversation);
    expect(conversation).toHaveLength(2);
  });
});
