/** Replies the scripted model server gives in the tests' scripts. */
import type { ScriptReply } from '../../src/testing';

/** The reply that hands the conversation over to `target` (its handoff tool). */
export const handoffTo = (target: string) =>
  ({ toolCalls: [{ name: `handoff_to_${target}`, arguments: {} }] }) satisfies ScriptReply;

/** The reply that calls `calls` (tool name, arguments, call id), in order, in one response. */
export const callTools = (...calls: Array<[name: string, args: Record<string, unknown>, id: string]>) =>
  ({ toolCalls: calls.map(([name, args, id]) => ({ name, arguments: args, id })) }) satisfies ScriptReply;
