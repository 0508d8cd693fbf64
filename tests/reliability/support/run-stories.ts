/**
 * Run stories: the whole script of a run written once, from which the scripted model's answers,
 * the human's replies, the expected conversation and the expected model calls are all derived.
 * Many runs share one model server: each run's first message starts with its tag (`[r07] ...`), and
 * the responder answers by tag, calling agent and how many user messages the agent sees.
 */
import { DEFAULT_AUTONOMOUS_PROMPT } from '../../../src/core/defaults';
import type { InteractionMode } from '../../../src/core/events';
import type { ScriptReply, ScriptResponder, ScriptedRequestView } from '../../../src/testing';
import type { ApiMessage } from './run-api';

/** One step of a story, in the order the run goes through them. */
export type StoryStep =
  /** The first message; its text starts with the story's tag. */
  | { kind: 'customer'; text: string }
  /** A human reply to the open request. */
  | { kind: 'human'; text: string }
  /** The autonomous mode's synthetic prompt. */
  | { kind: 'synthetic' }
  /** The agent answers with text. */
  | { kind: 'answer'; agent: string; text: string }
  /** The agent hands off. */
  | { kind: 'handoff'; agent: string; target: string };

/** A run's script. */
export interface Story {
  tag: string;
  mode: InteractionMode;
  steps: readonly StoryStep[];
}

/** One model call a story makes, with the turn it belongs to. */
export interface StoryCall {
  /** `<tag>|<agent>|<user messages seen>`: identifies the call, also when it is repeated. */
  key: string;
  agent: string;
  /** User messages (synthetic ones included) in the request. */
  userMessages: number;
  /** The agent turn (1-based) this call is; the run's status `turn` reaches it once it is committed. */
  turn: number;
  reply: ScriptReply;
}

/** The key of a model call. */
export function callKey(tag: string, agent: string, userMessages: number): string {
  return `${tag}|${agent}|${userMessages}`;
}

/** The tag a message starts with (`[r07]`, `[P1]`...), if any. */
export function tagOf(text: string | undefined): string | undefined {
  return /^\[([A-Za-z0-9-]+)\]/.exec(text ?? '')?.[0];
}

/** The model calls of a story, in order; throws if two calls would share a key. */
export function storyCalls(story: Story): StoryCall[] {
  const calls: StoryCall[] = [];
  let userMessages = 0;
  for (const step of story.steps) {
    if (step.kind === 'customer' || step.kind === 'human' || step.kind === 'synthetic') {
      userMessages += 1;
      continue;
    }
    const key = callKey(story.tag, step.agent, userMessages);
    if (calls.some((c) => c.key === key)) throw new Error(`Story ${story.tag} has two calls keyed ${key}.`);
    const reply: ScriptReply =
      step.kind === 'answer'
        ? { text: step.text }
        : { toolCalls: [{ name: `handoff_to_${step.target}`, arguments: {} }] };
    calls.push({ key, agent: step.agent, userMessages, turn: calls.length + 1, reply });
  }
  return calls;
}

/** The conversation the status API shows once the story has run without a fault. */
export function expectedConversation(story: Story): ApiMessage[] {
  return story.steps.flatMap((step): ApiMessage[] => {
    switch (step.kind) {
      case 'customer':
      case 'human':
        return [{ role: 'user', authorName: 'user', text: step.text }];
      case 'synthetic':
        return [{ role: 'user', authorName: 'user', text: DEFAULT_AUTONOMOUS_PROMPT, synthetic: true }];
      case 'answer':
        return [{ role: 'assistant', authorName: step.agent, text: step.text }];
      case 'handoff':
        return [];
    }
  });
}

/** The human replies of a story, in order. */
export function humanReplies(story: Story): string[] {
  return story.steps.flatMap((step) => (step.kind === 'human' ? [step.text] : []));
}

/** The handoffs of a story as `source->target`, in order. */
export function expectedHandoffs(story: Story): string[] {
  return story.steps.flatMap((step) => (step.kind === 'handoff' ? [`${step.agent}->${step.target}`] : []));
}

/** The customer's first message. */
export function firstMessage(story: Story): string {
  const first = story.steps[0];
  if (first?.kind !== 'customer')
    throw new Error(`Story ${story.tag} must start with the customer's message.`);
  return first.text;
}

/** Where the responder reports each call it answers (e.g. to audit repeats). */
export type CallObserver = (call: StoryCall, view: ScriptedRequestView) => void;

/**
 * A responder that plays every story of `stories` (by tag). A request of a known story that the
 * story does not script is unexpected (the server records it as a failure); requests without a
 * known tag go to `fallback`.
 */
export function storyResponder(
  stories: readonly Story[],
  options: {
    /** Delays the answer (e.g. to keep calls in flight while a host is killed). */
    delayMs?: (call: StoryCall) => number;
    onCall?: CallObserver;
    fallback?: (view: ScriptedRequestView) => ScriptReply | undefined;
  } = {},
): ScriptResponder {
  const calls = new Map<string, StoryCall>();
  for (const story of stories) for (const call of storyCalls(story)) calls.set(call.key, call);
  const known = new Set(stories.map((s) => s.tag));
  return (view) => {
    const first = view.body.messages.find((m) => m.role === 'user');
    const tag = tagOf(typeof first?.content === 'string' ? first.content : undefined);
    if (tag === undefined || !known.has(tag)) return options.fallback?.(view);
    const userMessages = view.body.messages.filter((m) => m.role === 'user').length;
    const call = calls.get(callKey(tag, view.agent ?? '?', userMessages));
    if (call === undefined) return undefined;
    options.onCall?.(call, view);
    const delayMs = options.delayMs?.(call) ?? 0;
    return delayMs > 0 ? { delayMs, then: call.reply } : call.reply;
  };
}
