/**
 * The steps of a script and how much of each is used. A request is answered by the first step,
 * in the order added, that still has uses left and matches it; steps for different agents
 * therefore never block each other, and one agent's steps are used in order.
 */
import { z } from 'zod';
import { checkReply } from './reply-schema';
import type { PendingStep, ScriptReply, ScriptStep, ScriptedRequestView } from './script-types';
import { ScriptedModelServerError } from './scripted-model-server-error';

const StepSchema = z.strictObject({
  agent: z.string().min(1).optional(),
  toolsInclude: z.array(z.string().min(1)).optional(),
  match: z.custom<ScriptStep['match']>((value) => typeof value === 'function').optional(),
  times: z.number().int().positive().optional(),
  repeat: z.boolean().optional(),
  reply: z.custom<ScriptStep['reply']>(
    (value) => typeof value === 'function' || checkReply(value).ok,
    'must be a reply ({ text }, { toolCalls }, { status }, { delayMs, then }, { reset: true }, { hang: true }) or a function returning one',
  ),
});

interface BookEntry {
  number: number;
  step: ScriptStep;
  used: number;
}

/** The script's steps with their use counts. */
export class ScriptBook {
  readonly #entries: BookEntry[] = [];
  #added = 0;

  /**
   * Appends steps.
   * @throws {@link ScriptedModelServerError} naming the step and field when a step is malformed.
   */
  add(steps: readonly ScriptStep[]): void {
    steps.forEach((step, offset) => {
      const parsed = StepSchema.safeParse(step);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ScriptedModelServerError(
          `scripted model server: step #${this.#added + offset + 1} is invalid at '${issue.path.join('.') || 'step'}': ${issue.message}`,
        );
      }
    });
    for (const step of steps) {
      this.#added += 1;
      this.#entries.push({ number: this.#added, step, used: 0 });
    }
  }

  /** Uses the first matching step with uses left; `undefined` when none matches. */
  take(
    request: ScriptedRequestView,
  ): { step: number; reply: ScriptReply | ((request: ScriptedRequestView) => ScriptReply) } | undefined {
    const entry = this.#entries.find(
      (candidate) => hasUsesLeft(candidate) && matches(candidate.step, request),
    );
    if (entry === undefined) return undefined;
    entry.used += 1;
    return { step: entry.number, reply: entry.step.reply };
  }

  /** Steps that still expect requests (`repeat` steps never do). */
  pending(): PendingStep[] {
    return this.#entries
      .filter((entry) => entry.step.repeat !== true && hasUsesLeft(entry))
      .map((entry) => ({
        step: entry.number,
        remaining: (entry.step.times ?? 1) - entry.used,
        description: describeStep(entry),
      }));
  }

  /** Forgets every step (numbering continues, so messages never reuse a number). */
  clear(): void {
    this.#entries.length = 0;
  }
}

function hasUsesLeft(entry: BookEntry): boolean {
  return entry.step.repeat === true || entry.used < (entry.step.times ?? 1);
}

function matches(step: ScriptStep, request: ScriptedRequestView): boolean {
  if (step.agent !== undefined && step.agent !== request.agent) return false;
  if (
    step.toolsInclude !== undefined &&
    !step.toolsInclude.every((name) => request.toolNames.includes(name))
  ) {
    return false;
  }
  return step.match === undefined || step.match(request);
}

function describeStep(entry: BookEntry): string {
  const { step } = entry;
  const conditions = [
    step.agent !== undefined ? `agent ${step.agent}` : undefined,
    step.toolsInclude !== undefined ? `tools include ${step.toolsInclude.join(', ')}` : undefined,
    step.match !== undefined ? 'a match function' : undefined,
    `used ${entry.used} of ${step.times ?? 1}`,
  ].filter((part) => part !== undefined);
  return `step #${entry.number} (${conditions.join('; ')}): ${describeReply(step.reply)}`;
}

function describeReply(reply: ScriptStep['reply']): string {
  if (typeof reply === 'function') return 'a reply function';
  if ('status' in reply) return `HTTP ${reply.status}`;
  if ('delayMs' in reply) return `after ${reply.delayMs} ms, ${describeReply(reply.then)}`;
  if ('reset' in reply) return 'connection reset';
  if ('hang' in reply) return 'no answer (hang)';
  const parts = [
    reply.text !== undefined ? `text ${JSON.stringify(truncate(reply.text))}` : undefined,
    reply.toolCalls !== undefined
      ? `tool calls ${reply.toolCalls.map((call) => call.name).join(', ')}`
      : undefined,
  ].filter((part) => part !== undefined);
  return parts.join(' and ');
}

function truncate(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 40)}…`;
}
