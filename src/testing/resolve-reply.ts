/**
 * Finds the reply to a request: the first matching step, else the responder, else nothing, in
 * which case the request is unexpected and the message says which steps were still waiting.
 */
import { checkReply } from './reply-schema';
import type { ScriptBook } from './script-book';
import type { ScriptReply, ScriptResponder, ScriptedRequest, ScriptedRequestView } from './script-types';

/** The reply to send, or the problem to report (answered with HTTP 500 and recorded as a failure). */
export type ResolvedReply =
  | { ok: true; reply: ScriptReply; answeredBy: ScriptedRequest['answeredBy'] }
  | { ok: false; problem: string; answeredBy: ScriptedRequest['answeredBy'] };

/** Resolves the reply to `view`, using up a step if one matches. */
export async function resolveReply(
  book: ScriptBook,
  responder: ScriptResponder | undefined,
  view: ScriptedRequestView,
): Promise<ResolvedReply> {
  const taken = book.take(view);
  let candidate: unknown;
  let answeredBy: ScriptedRequest['answeredBy'] = { kind: 'unexpected' };
  try {
    if (taken !== undefined) {
      answeredBy = { kind: 'step', step: taken.step };
      candidate = typeof taken.reply === 'function' ? taken.reply(view) : taken.reply;
    } else if (responder !== undefined) {
      answeredBy = { kind: 'responder' };
      candidate = await responder(view);
    }
  } catch (error) {
    const by = taken !== undefined ? `the reply function of step #${taken.step}` : 'the responder';
    return {
      ok: false,
      problem: `scripted model server: ${by} threw for request #${view.index}: ${String(error)}`,
      answeredBy,
    };
  }
  if (candidate === undefined) {
    const tools = view.toolNames.length > 0 ? view.toolNames.join(', ') : 'none';
    const pending = book.pending();
    const left =
      pending.length > 0 ? `; steps left: ${pending.map((step) => step.description).join(' | ')}` : '';
    return {
      ok: false,
      problem:
        `scripted model server: unexpected request #${view.index} from agent ${view.agent ?? '(none)'} ` +
        `(tools: ${tools}); no step matches${left}`,
      answeredBy: { kind: 'unexpected' },
    };
  }
  const checked = checkReply(candidate);
  if (!checked.ok) {
    return {
      ok: false,
      problem: `scripted model server: request #${view.index}: ${checked.problem}`,
      answeredBy,
    };
  }
  return { ok: true, reply: checked.reply, answeredBy };
}
