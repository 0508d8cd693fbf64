/**
 * Runs of the sample's customer_support workflow that several suites drive (over HTTP, on either
 * engine): what the customer says, what the scripted model answers, and what the run ends with.
 */
import type { ScriptStep } from '../../src/testing';
import { handoffTo } from './scripted-replies';

const ARTICLE_MESSAGE = 'I never received my order #12345';
const SHIPPING_ANSWER =
  "Thank you — I've located the package for order #12345. It will be delivered within 2 business days. The issue is resolved.";

/** The article's run: the coordinator hands a lost parcel to shipping_agent, which resolves it. */
export const ARTICLE_RUN = {
  start: { message: ARTICLE_MESSAGE, mode: 'autonomous' },
  steps: [
    { agent: 'coordinator_agent', reply: handoffTo('shipping_agent') },
    { agent: 'shipping_agent', reply: { text: SHIPPING_ANSWER } },
  ] satisfies ScriptStep[],
  /** What its status holds once it completed. */
  completed: {
    state: 'completed',
    stopReason: 'terminated_by_condition',
    activeAgent: 'shipping_agent',
    turn: 2,
    pendingRequest: null,
    conversation: [
      { role: 'user', authorName: 'user', text: ARTICLE_MESSAGE },
      { role: 'assistant', authorName: 'shipping_agent', text: SHIPPING_ANSWER },
    ],
  },
};

/** A human-in-the-loop refund: refund_agent asks twice, the customer replies twice, the run ends. */
export const TWO_REPLIES_RUN = {
  start: { message: 'I want my money back' },
  replies: ['Order 7', 'It arrived broken'],
  firstQuestion: { agent: 'refund_agent', prompt: 'Which order should I refund?' },
  steps: [
    { agent: 'coordinator_agent', reply: handoffTo('refund_agent') },
    { agent: 'refund_agent', reply: { text: 'Which order should I refund?' } },
    { agent: 'refund_agent', reply: { text: 'What was wrong with it?' } },
    { agent: 'refund_agent', reply: { text: 'Order 7 has been refunded.' } },
  ] satisfies ScriptStep[],
  /** The conversation at the end, as `author: text` lines. */
  transcript: [
    'user: I want my money back',
    'refund_agent: Which order should I refund?',
    'user: Order 7',
    'refund_agent: What was wrong with it?',
    'user: It arrived broken',
    'refund_agent: Order 7 has been refunded.',
  ],
};
