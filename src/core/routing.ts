/**
 * The routing step: what one model response of the active agent means.
 *
 * - no tool calls: `respond` (the agent answered);
 * - a valid handoff call: `handoff` to its target; with several, the last wins (warning
 *   `multiple_handoffs`), the others are answered "Ignored: only one handoff per turn.", own tool calls
 *   next to a handoff are answered "Not executed..." and not run (warning `tool_skipped`);
 * - only own tool calls with valid arguments: `tools` (run them, then call the model again);
 * - any call to a tool the agent was not offered (a hallucinated `handoff_to_admin`, an unknown tool) or
 *   with unusable arguments: `error`. The call gets an error result naming what is allowed, the model is
 *   called again within the same turn (the caller bounds how often), and a warning records it.
 *
 * A handoff is never made to a target the agent was not offered.
 */
import { handoffTargetOf } from './handoff-tools';
import type { AssistantMessage, ToolCall, ToolResultMessage } from './messages';
import type { FunctionTool } from './tool';
import { parseHandoffReason, parseToolArguments } from './tool-arguments';
import {
  IGNORED_HANDOFF_TEXT,
  invalidArgumentsText,
  invalidHandoffText,
  notExecutedText,
  transferredText,
  unknownToolText,
} from './tool-messages';
import type { HandoffWorkflow } from './workflow';

/** A warning of a turn; `code` is one of {@link TurnWarningCode}. */
export interface TurnWarning {
  code: string;
  message: string;
}

/** Codes of turn warnings. */
export type TurnWarningCode =
  | 'multiple_handoffs'
  | 'tool_skipped'
  | 'invalid_handoff'
  | 'invalid_handoff_arguments'
  | 'unknown_tool'
  | 'invalid_tool_arguments'
  | 'tool_error'
  | 'empty_response';

/** What to do with one tool call: run the agent's tool, or answer it with a text right away. */
export type ToolStep =
  | { kind: 'execute'; call: ToolCall; tool: FunctionTool; args: unknown }
  | { kind: 'answer'; call: ToolCall; text: string };

/** The meaning of one model response. */
export type RoutingDecision =
  | { kind: 'respond'; warnings: TurnWarning[] }
  | {
      kind: 'handoff';
      target: string;
      reason?: string;
      results: ToolResultMessage[];
      warnings: TurnWarning[];
    }
  | { kind: 'tools'; steps: ToolStep[]; warnings: TurnWarning[] }
  | { kind: 'error'; steps: ToolStep[]; warnings: TurnWarning[] };

type Classified =
  | { kind: 'handoff'; call: ToolCall; target: string }
  | { kind: 'own'; call: ToolCall; tool: FunctionTool }
  | { kind: 'invalid_handoff'; call: ToolCall; target: string }
  | { kind: 'unknown'; call: ToolCall };

function classify(call: ToolCall, tools: readonly FunctionTool[], allowed: ReadonlySet<string>): Classified {
  const own = tools.find((t) => t.name === call.name);
  if (own !== undefined) return { kind: 'own', call, tool: own };
  const target = handoffTargetOf(call.name);
  if (target === undefined) return { kind: 'unknown', call };
  return allowed.has(target) ? { kind: 'handoff', call, target } : { kind: 'invalid_handoff', call, target };
}

function result(agentName: string, call: ToolCall, text: string): ToolResultMessage {
  return { role: 'tool', authorName: agentName, toolCallId: call.id, toolName: call.name, text };
}

/**
 * Routes one model response of `agentName`. Pure: no tool runs here; `tools`/`error` decisions list the
 * steps for the caller (own tools to execute with validated arguments, or texts to answer with).
 * `tools` are the agent's tools this turn: its own, by default, and any an MCP server offered.
 */
export function routeResponse(
  workflow: HandoffWorkflow,
  agentName: string,
  message: AssistantMessage,
  tools: readonly FunctionTool[] = workflow.requireAgent(agentName).tools,
): RoutingDecision {
  const calls = message.toolCalls ?? [];
  if (calls.length === 0) {
    const warnings: TurnWarning[] =
      message.text.trim() === ''
        ? [
            {
              code: 'empty_response',
              message: `Agent '${agentName}' answered with no text and no tool calls.`,
            },
          ]
        : [];
    return { kind: 'respond', warnings };
  }
  const targets = workflow.handoffTargets(agentName);
  const allowedNames = targets.map((t) => t.target);
  const classified = calls.map((call) => classify(call, tools, new Set(allowedNames)));
  const warnings: TurnWarning[] = [];
  const invalidHandoff = (c: { call: ToolCall; target: string }): string => {
    const text = invalidHandoffText(agentName, c.target, allowedNames);
    warnings.push({ code: 'invalid_handoff', message: text });
    return text;
  };
  const unknownTool = (c: { call: ToolCall }): string => {
    const available = [...targets.map((t) => t.toolName), ...tools.map((t) => t.name)];
    const text = unknownToolText(agentName, c.call.name, available);
    warnings.push({ code: 'unknown_tool', message: text });
    return text;
  };

  const handoffs = classified.filter(
    (c): c is Extract<Classified, { kind: 'handoff' }> => c.kind === 'handoff',
  );
  const chosen = handoffs.at(-1);
  if (chosen !== undefined) {
    if (handoffs.length > 1) {
      warnings.push({
        code: 'multiple_handoffs',
        message: `Agent '${agentName}' called ${handoffs.length} handoff tools in one response (${handoffs.map((h) => h.target).join(', ')}); following the last one, to '${chosen.target}'.`,
      });
    }
    const results = classified.map((c) => {
      switch (c.kind) {
        case 'handoff':
          return result(agentName, c.call, c === chosen ? transferredText(c.target) : IGNORED_HANDOFF_TEXT);
        case 'own':
          warnings.push({
            code: 'tool_skipped',
            message: `Agent '${agentName}' called '${c.tool.name}' in the response that hands off to '${chosen.target}'; the tool was not executed.`,
          });
          return result(agentName, c.call, notExecutedText(c.tool.name, chosen.target));
        case 'invalid_handoff':
          return result(agentName, c.call, invalidHandoff(c));
        case 'unknown':
          return result(agentName, c.call, unknownTool(c));
      }
    });
    const parsed = parseHandoffReason(chosen.call.arguments);
    if (parsed.problem !== undefined) {
      warnings.push({
        code: 'invalid_handoff_arguments',
        message: `Agent '${agentName}' called '${chosen.call.name}' with unusable arguments (${parsed.problem}); handing off without a reason.`,
      });
    }
    return {
      kind: 'handoff',
      target: chosen.target,
      ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
      results,
      warnings,
    };
  }

  let invalid = false;
  const steps: ToolStep[] = classified.map((c) => {
    switch (c.kind) {
      case 'own': {
        const args = parseToolArguments(c.tool, c.call.arguments);
        if (args.ok) return { kind: 'execute', call: c.call, tool: c.tool, args: args.value };
        invalid = true;
        const text = invalidArgumentsText(c.tool.name, args.problem);
        warnings.push({ code: 'invalid_tool_arguments', message: `Agent '${agentName}': ${text}` });
        return { kind: 'answer', call: c.call, text };
      }
      case 'invalid_handoff':
        invalid = true;
        return { kind: 'answer', call: c.call, text: invalidHandoff(c) };
      case 'unknown':
        invalid = true;
        return { kind: 'answer', call: c.call, text: unknownTool(c) };
      case 'handoff':
        // unreachable: handled above
        throw new Error('routeResponse: handoff call after handoff routing');
    }
  });
  return { kind: invalid ? 'error' : 'tools', steps, warnings };
}
