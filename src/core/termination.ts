/**
 * Termination conditions: synchronous, pure predicates over the clean conversation.
 *
 * The condition decides when a run ends. It sees the clean conversation ({@link ConversationMessage}):
 * user and assistant text messages with author names, oldest first, no tool calls or tool results;
 * synthetic autonomous-mode prompts are included and flagged `synthetic: true`. Its verdict is
 * computed by the agent-turn activity and recorded in the durable history, so it must be synchronous
 * and pure: same conversation, same answer.
 *
 * The helpers compose (`anyOf`, `allOf`) like the stop conditions of vercel/ai.
 */
import type { AgentDefinition } from './agent';
import { WorkflowDefinitionError } from './errors';
import type { ConversationMessage } from './messages';

/**
 * `(conversation) => boolean`: true ends the run. The parameter is a fresh copy on every call.
 * Written as a plain function, the Agent Framework's Python `should_terminate` ports as is.
 */
export type TerminationCondition = (conversation: ConversationMessage[]) => boolean;

// The definition version hashes a condition's text; helpers are closures whose text does not show
// their arguments, so each one records a description that does.
const descriptions = new WeakMap<TerminationCondition, string>();

function described(description: string, condition: TerminationCondition): TerminationCondition {
  descriptions.set(condition, description);
  return condition;
}

/**
 * A stable text for a condition: the helper expression (`anyOf(maxMessages(6), ...)`) for helpers,
 * the function's source text (`toString()`) otherwise. Best effort: a plain function that reads
 * variables from its closure hashes the same when only those variables change.
 */
export function describeTerminationCondition(condition: TerminationCondition): string {
  return descriptions.get(condition) ?? condition.toString();
}

function positiveInteger(helper: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new WorkflowDefinitionError(`${helper} needs a positive integer, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function conditions(helper: string, list: readonly TerminationCondition[]): readonly TerminationCondition[] {
  if (list.length === 0) {
    throw new WorkflowDefinitionError(
      `${helper}() needs at least one condition; with none its answer would be meaningless.`,
    );
  }
  list.forEach((condition, index) => {
    if (typeof condition !== 'function') {
      throw new WorkflowDefinitionError(
        `${helper}(): argument ${index + 1} is not a function (got ${typeof condition}).`,
      );
    }
  });
  return [...list];
}

/**
 * True once the conversation has at least `count` messages (all roles, synthetic prompts included),
 * the Python example's `len(conversation) >= 6`.
 *
 * @example
 * maxMessages(6)
 */
export function maxMessages(count: number): TerminationCondition {
  const limit = positiveInteger('maxMessages', count);
  return described(`maxMessages(${limit})`, (conversation) => conversation.length >= limit);
}

/**
 * True once the human has written at least `count` messages. Synthetic autonomous prompts are not
 * counted unless `includeSynthetic` is true (the Agent Framework counts them, which surprises).
 */
export function maxUserMessages(
  count: number,
  options: { includeSynthetic?: boolean } = {},
): TerminationCondition {
  const limit = positiveInteger('maxUserMessages', count);
  const includeSynthetic = options.includeSynthetic === true;
  return described(`maxUserMessages(${limit},${String(includeSynthetic)})`, (conversation) => {
    const users = conversation.filter((m) => m.role === 'user' && (includeSynthetic || m.synthetic !== true));
    return users.length >= limit;
  });
}

/** Where {@link textMentions} looks. */
export interface TextMentionsOptions {
  /** Only the last message (default false: any message, as in the Python example). */
  lastMessageOnly?: boolean;
  /** Only messages of this role (default: both). */
  role?: 'user' | 'assistant';
  /** Match case exactly (default false: case-insensitive, as in the Python example). */
  caseSensitive?: boolean;
}

/**
 * True when a message's text contains one of `keywords` (substring match).
 *
 * @example
 * textMentions(['resolved', 'delivered', 'refunded', 'fixed', 'thank you for contacting'])
 */
export function textMentions(
  keywords: readonly string[],
  options: TextMentionsOptions = {},
): TerminationCondition {
  const given: unknown = keywords; // callers from JS may pass anything
  if (!Array.isArray(given) || given.length === 0 || given.some((k) => typeof k !== 'string' || k === '')) {
    throw new WorkflowDefinitionError(
      `textMentions needs a non-empty list of non-empty strings, got ${JSON.stringify(keywords)}.`,
    );
  }
  const caseSensitive = options.caseSensitive === true;
  const needles = keywords.map((k) => (caseSensitive ? k : k.toLowerCase()));
  const lastOnly = options.lastMessageOnly === true;
  const role = options.role;
  const description = `textMentions(${JSON.stringify(needles)},${JSON.stringify({ lastOnly, role, caseSensitive })})`;
  return described(description, (conversation) => {
    const candidates = lastOnly ? conversation.slice(-1) : conversation;
    return candidates.some((message) => {
      if (role !== undefined && message.role !== role) return false;
      const text = caseSensitive ? message.text : message.text.toLowerCase();
      return needles.some((needle) => text.includes(needle));
    });
  });
}

/** True when the last message was written by `author`: an agent (or its name), or `'user'`. */
export function lastAuthorIs(author: string | AgentDefinition): TerminationCondition {
  const name = typeof author === 'string' ? author : author?.name;
  if (typeof name !== 'string' || name === '') {
    throw new WorkflowDefinitionError(
      `lastAuthorIs needs an agent or an author name, got ${JSON.stringify(author)}.`,
    );
  }
  return described(
    `lastAuthorIs(${JSON.stringify(name)})`,
    (conversation) => conversation.at(-1)?.authorName === name,
  );
}

/**
 * Runs `condition` on a copy of `conversation` and insists on a boolean answer: a Promise (from a
 * function that is not declared `async` but returns one) or any other value is a bug in the condition,
 * reported instead of being read as true or false.
 */
export function evaluateTerminationCondition(
  condition: TerminationCondition,
  conversation: readonly ConversationMessage[],
): boolean {
  const verdict: unknown = condition(conversation.map((message) => ({ ...message })));
  if (typeof verdict === 'boolean') return verdict;
  const got =
    typeof verdict === 'object' &&
    verdict !== null &&
    typeof (verdict as { then?: unknown }).then === 'function'
      ? 'a Promise'
      : `${JSON.stringify(verdict) ?? typeof verdict}`;
  throw new TypeError(
    `The termination condition returned ${got}; it must return true or false synchronously (it runs inside the orchestrator, which cannot await).`,
  );
}

/** True when at least one of `list` is true. */
export function anyOf(...list: TerminationCondition[]): TerminationCondition {
  const all = conditions('anyOf', list);
  const description = `anyOf(${all.map(describeTerminationCondition).join(',')})`;
  return described(description, (conversation) =>
    all.some((condition) => evaluateTerminationCondition(condition, conversation)),
  );
}

/** True when every one of `list` is true. */
export function allOf(...list: TerminationCondition[]): TerminationCondition {
  const all = conditions('allOf', list);
  const description = `allOf(${all.map(describeTerminationCondition).join(',')})`;
  return described(description, (conversation) =>
    all.every((condition) => evaluateTerminationCondition(condition, conversation)),
  );
}

/** True for functions declared `async`: they return a Promise, which an orchestrator cannot wait on. */
export function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && Object.prototype.toString.call(fn) === '[object AsyncFunction]';
}
