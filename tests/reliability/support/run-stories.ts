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
  | { kind: 'handoff'; agent: string; target: string }
  /**
   * The agent calls one of the sample's tools. `approve` is the human's answer when the tool needs
   * approval (issue_refund): true, or false with a reason; absent for tools that need none.
   */
  | {
      kind: 'tool';
      agent: string;
      tool: 'lookup_order' | 'issue_refund';
      args: Record<string, unknown>;
      approve?: { approved: true } | { approved: false; reason: string };
    };

/** A run's script. */
export interface Story {
  tag: string;
  mode: InteractionMode;
  steps: readonly StoryStep[];
}

/** One model call a story makes, with the turn it belongs to. */
export interface StoryCall {
  /** `<tag>|<agent>|<user messages seen>|<tool results seen>`: identifies the call, also when it is repeated. */
  key: string;
  agent: string;
  /** User messages (synthetic ones included) in the request. */
  userMessages: number;
  /** Results of the sample's tools (not handoffs: agents do not see those of other turns) in the request. */
  toolResults: number;
  /** The agent turn (1-based) this call is; the run's status `turn` reaches it once it is committed. */
  turn: number;
  reply: ScriptReply;
}

/** The key of a model call. */
export function callKey(tag: string, agent: string, userMessages: number, toolResults: number): string {
  return `${tag}|${agent}|${userMessages}|${toolResults}`;
}

/** The tag a message starts with (`[r07]`, `[P1]`...), if any. */
export function tagOf(text: string | undefined): string | undefined {
  return /^\[([A-Za-z0-9-]+)\]/.exec(text ?? '')?.[0];
}

/** The model calls of a story, in order; throws if two calls would share a key. */
export function storyCalls(story: Story): StoryCall[] {
  const calls: StoryCall[] = [];
  let userMessages = 0;
  let toolResults = 0;
  let turn = 0;
  let turnOpen = false;
  for (const step of story.steps) {
    if (step.kind === 'customer' || step.kind === 'human' || step.kind === 'synthetic') {
      userMessages += 1;
      continue;
    }
    const key = callKey(story.tag, step.agent, userMessages, toolResults);
    if (calls.some((c) => c.key === key)) throw new Error(`Story ${story.tag} has two calls keyed ${key}.`);
    // A tool call continues the turn: the agent is called again with its result.
    if (!turnOpen) turn += 1;
    turnOpen = step.kind === 'tool';
    let reply: ScriptReply;
    if (step.kind === 'answer') reply = { text: step.text };
    else if (step.kind === 'handoff')
      reply = { toolCalls: [{ name: `handoff_to_${step.target}`, arguments: {} }] };
    else {
      reply = { toolCalls: [{ name: step.tool, arguments: step.args }] };
      toolResults += 1;
    }
    calls.push({
      key,
      agent: step.agent,
      userMessages,
      toolResults: toolResults - (step.kind === 'tool' ? 1 : 0),
      turn,
      reply,
    });
  }
  return calls;
}

/** The story's approval answers, in order (one per tool step that needs approval). */
export function approvalAnswers(story: Story): Array<{ approved: boolean; reason?: string }> {
  return story.steps.flatMap((step) => (step.kind === 'tool' && step.approve ? [step.approve] : []));
}

/** The tools the story runs (every tool step but a rejected one), in order. */
export function expectedToolRuns(story: Story): string[] {
  return story.steps.flatMap((step) =>
    step.kind === 'tool' && step.approve?.approved !== false ? [`${step.agent}:${step.tool}`] : [],
  );
}

/** The story call a recorded model response is the answer to: the call of `agent` with that reply. */
export function callOfResponse(
  story: Story,
  message: { authorName: string; text: string; toolCalls?: readonly { name: string; arguments: string }[] },
): StoryCall | undefined {
  const calls = message.toolCalls ?? [];
  return storyCalls(story).find((call) => {
    if (call.agent !== message.authorName || !('text' in call.reply || 'toolCalls' in call.reply))
      return false;
    const reply = call.reply as {
      text?: string;
      toolCalls?: readonly { name: string; arguments?: unknown }[];
    };
    if (reply.toolCalls) {
      return (
        calls.length === reply.toolCalls.length &&
        reply.toolCalls.every(
          (c, i) =>
            calls[i]?.name === c.name &&
            JSON.stringify(JSON.parse(calls[i].arguments || '{}')) === JSON.stringify(c.arguments ?? {}),
        )
      );
    }
    return calls.length === 0 && message.text === reply.text;
  });
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
      case 'tool':
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
    const toolResults = view.body.messages.filter((m) => m.role === 'tool').length;
    const call = calls.get(callKey(tag, view.agent ?? '?', userMessages, toolResults));
    if (call === undefined) return undefined;
    options.onCall?.(call, view);
    const delayMs = options.delayMs?.(call) ?? 0;
    return delayMs > 0 ? { delayMs, then: call.reply } : call.reply;
  };
}
