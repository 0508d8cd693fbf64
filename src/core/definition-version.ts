/**
 * The definition `version`: a SHA-256 over the canonical JSON of everything that defines a workflow's
 * behaviour as data, so running instances can tell when the deployed definition changed under them.
 * The core writes the document; the hash is computed where the workflow is built (`HandoffBuilder`
 * hashes with `node:crypto`), since the core does no I/O and imports nothing of Node.
 */
import type { AgentDefinition } from './agent';
import type { HandoffTarget } from './handoff-tools';
import { canonicalJson } from './json';
import { describeApprovalRule } from './tool';
import { describeMcpServer } from './mcp-server';
import type { AutonomousSettings, ToolCallFiltering } from './options';
import { type TerminationCondition, describeTerminationCondition } from './termination';
import type { InteractionMode } from './events';

/** What the version covers. */
export interface VersionedDefinition {
  readonly name: string;
  readonly description: string | undefined;
  readonly agents: readonly AgentDefinition[];
  readonly startAgent: string;
  readonly graph: ReadonlyMap<string, readonly HandoffTarget[]>;
  readonly interactionMode: InteractionMode;
  readonly autonomous: ReadonlyMap<string, AutonomousSettings>;
  readonly terminationCondition: TerminationCondition | undefined;
  readonly maxTurns: number;
  readonly replyTimeoutMs: number;
  readonly continueAsNewEvery: number;
  readonly toolCallFiltering: ToolCallFiltering;
}

/** Turns a definition document into its version: SHA-256, 64 lowercase hex digits. */
export type DefinitionHasher = (document: string) => string;

/**
 * The document a definition's version hashes (canonical JSON). It covers names, descriptions, instructions, models, own
 * tools (name, description, JSON schema), the resolved handoff edges with their descriptions, and every
 * option. Functions cannot be hashed: a tool's `execute` is left out, and the termination condition
 * counts by its description (helper expression or source text), a best effort. An agent's
 * `displayName` is left out: it only changes how people read the name, so renaming it does not make
 * runs in flight report a redeployed definition.
 */
export function definitionDocument(definition: VersionedDefinition): string {
  return canonicalJson({
    format: 1,
    name: definition.name,
    description: definition.description,
    startAgent: definition.startAgent,
    agents: definition.agents.map((a) => ({
      name: a.name,
      description: a.description,
      instructions: a.instructions,
      model: a.model,
      tools: a.tools.map((t) => ({
        name: t.name,
        description: t.description,
        parameters: t.jsonSchema,
        needsApproval: describeApprovalRule(t),
      })),
      mcp: a.mcp.length > 0 ? a.mcp.map(describeMcpServer) : undefined,
      handoffs: (definition.graph.get(a.name) ?? []).map((h) => ({
        target: h.target,
        description: h.description,
      })),
      autonomous: definition.autonomous.get(a.name),
    })),
    interactionMode: definition.interactionMode,
    terminationCondition:
      definition.terminationCondition === undefined
        ? null
        : describeTerminationCondition(definition.terminationCondition),
    maxTurns: definition.maxTurns,
    replyTimeoutMs: definition.replyTimeoutMs,
    continueAsNewEvery: definition.continueAsNewEvery,
    toolCallFiltering: definition.toolCallFiltering,
  });
}
