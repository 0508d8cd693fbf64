/**
 * What an agent sees: the model request for one call of one agent.
 *
 * request = the agent's instructions (system) + the run transcript filtered by `toolCallFiltering`
 *         + the agent's own new messages of the current turn, unfiltered.
 * Every tool call in a request is followed by its result and every result follows its call, so
 * providers that validate tool-call pairing accept it.
 */
import type { AssistantMessage, TranscriptMessage } from './messages';
import { isHandoffToolName, handoffToolSpec } from './handoff-tools';
import type { ModelRequest, ToolSpec } from './model';
import type { ToolCallFiltering } from './options';
import type { FunctionTool } from './tool';
import type { HandoffWorkflow } from './workflow';

type Group = { call: AssistantMessage; results: TranscriptMessage[] };

function keepCall(name: string, filtering: ToolCallFiltering): boolean {
  if (filtering === 'none') return true;
  if (filtering === 'all') return false;
  return !isHandoffToolName(name);
}

/** One assistant message with calls and the tool results that follow it, filtered and repaired. */
function filterGroup(group: Group, filtering: ToolCallFiltering): TranscriptMessage[] {
  const answered = new Set(group.results.flatMap((r) => (r.role === 'tool' ? [r.toolCallId] : [])));
  const calls = (group.call.toolCalls ?? []).filter((c) => keepCall(c.name, filtering) && answered.has(c.id));
  const kept = new Set(calls.map((c) => c.id));
  const seen = new Set<string>();
  const results = group.results.filter((r) => {
    if (r.role !== 'tool' || !kept.has(r.toolCallId) || seen.has(r.toolCallId)) return false;
    seen.add(r.toolCallId);
    return true;
  });
  const { toolCalls: _dropped, ...rest } = group.call;
  const assistant: AssistantMessage = calls.length > 0 ? { ...rest, toolCalls: calls } : rest;
  if (calls.length === 0 && assistant.text.trim() === '') return results;
  return [assistant, ...results];
}

/**
 * The transcript as another turn of an agent sees it:
 * - `handoff_only`: handoff calls (`handoff_to_*`, valid or not) and their results are dropped;
 * - `all`: every tool call and result is dropped;
 * - `none`: everything is kept.
 * Assistant messages left with no text and no calls are dropped. Pairing is repaired in every mode:
 * calls without a result and results without their call are dropped (results pair with the calls of
 * the assistant message right before them, so providers that reuse call ids across turns are safe).
 */
export function filterTranscript(
  transcript: readonly TranscriptMessage[],
  filtering: ToolCallFiltering,
): TranscriptMessage[] {
  const out: TranscriptMessage[] = [];
  let group: Group | undefined;
  const flush = (): void => {
    if (group !== undefined) out.push(...filterGroup(group, filtering));
    group = undefined;
  };
  for (const message of transcript) {
    if (message.role === 'tool') {
      if (group !== undefined) group.results.push(message);
      continue; // a result with no call before it is dropped
    }
    flush();
    if (message.role === 'assistant' && (message.toolCalls?.length ?? 0) > 0)
      group = { call: message, results: [] };
    else if (message.role === 'assistant' && message.text.trim() === '') continue;
    else out.push(message);
  }
  flush();
  return out;
}

/**
 * The tools offered to `agentName`: its handoff tools first (graph order), then `tools` (its own by
 * default; a turn passes its own and those its MCP servers list).
 */
export function agentToolSpecs(
  workflow: HandoffWorkflow,
  agentName: string,
  tools: readonly FunctionTool[] = workflow.requireAgent(agentName).tools,
): ToolSpec[] {
  return [
    ...workflow.handoffTargets(agentName).map(handoffToolSpec),
    ...tools.map((t) => ({
      name: t.name,
      description: t.description,
      parameters: { ...t.jsonSchema },
    })),
  ];
}

/**
 * The model request for one call of `agentName`. `transcript` is the run so far, filtered by
 * `filtering` (the run's pinned plan; the workflow's own by default); `turnMessages` are the agent's
 * new messages of this turn (kept as they are); `tools` the agent's tools this turn (its own by default). Parallel tool calls are disabled whenever handoff
 * tools are offered, so a response carries at most one handoff by design.
 */
export function buildAgentRequest(
  workflow: HandoffWorkflow,
  agentName: string,
  transcript: readonly TranscriptMessage[],
  turnMessages: readonly TranscriptMessage[] = [],
  filtering: ToolCallFiltering = workflow.toolCallFiltering,
  tools: readonly FunctionTool[] = workflow.requireAgent(agentName).tools,
): ModelRequest {
  const agent = workflow.requireAgent(agentName);
  const hasHandoffs = workflow.handoffTargets(agentName).length > 0;
  return {
    agentName,
    instructions: agent.instructions,
    messages: [...filterTranscript(transcript, filtering), ...turnMessages],
    tools: agentToolSpecs(workflow, agentName, tools),
    ...(hasHandoffs ? { parallelToolCalls: false } : {}),
    ...(agent.model !== undefined ? { model: agent.model } : {}),
  };
}
