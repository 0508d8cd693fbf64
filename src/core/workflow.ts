/**
 * `HandoffWorkflow`: the immutable, validated result of `HandoffBuilder.build()`.
 */
import type { AgentDefinition } from './agent';
import type { VersionedDefinition } from './definition-version';
import { WorkflowDefinitionError, WorkflowInputError } from './errors';
import type { InteractionMode } from './events';
import type { HandoffTarget } from './handoff-tools';
import type { ConversationMessage } from './messages';
import type { AutonomousSettings, ToolCallFiltering } from './options';
import type { RunPlan, WorkflowDescription } from './run-plan';
import { type TerminationCondition, evaluateTerminationCondition } from './termination';

/** Everything `build()` resolved; the input of the {@link HandoffWorkflow} constructor. */
export type ResolvedDefinition = Omit<VersionedDefinition, 'graph' | 'autonomous'> & {
  readonly graph: Map<string, readonly HandoffTarget[]>;
  readonly autonomous: Map<string, AutonomousSettings>;
};

/**
 * A handoff workflow definition: participants, handoff graph, options and a stable `version`.
 * Immutable (frozen) and pure, so it is safe to read inside an orchestrator. Create one with
 * `new HandoffBuilder({ name }).….build()`.
 */
export class HandoffWorkflow {
  /** Unique in an app; runs name their workflow by it. */
  readonly name: string;
  readonly description: string | undefined;
  /** SHA-256 (hex) of the definition; see `definitionDocument` for what it covers. */
  readonly version: string;
  /** The name of the agent that receives the first message. */
  readonly startAgent: string;
  /** Every participant, start agent included, in participant order. */
  readonly agents: readonly AgentDefinition[];
  /** The workflow's default mode; a run may override it. */
  readonly interactionMode: InteractionMode;
  /** The synchronous, pure termination condition, if any. Prefer {@link HandoffWorkflow.shouldTerminate}. */
  readonly terminationCondition: TerminationCondition | undefined;
  /** The hard cap on agent turns of a run. */
  readonly maxTurns: number;
  /** How long a run waits for the human's reply, in milliseconds. */
  readonly replyTimeoutMs: number;
  /** Agent turns between two `continueAsNew` calls of the orchestrator. */
  readonly continueAsNewEvery: number;
  /** What agents see of tool calls outside their current turn. */
  readonly toolCallFiltering: ToolCallFiltering;

  private readonly byName: ReadonlyMap<string, AgentDefinition>;
  private readonly graph: ReadonlyMap<string, readonly HandoffTarget[]>;
  private readonly autonomous: ReadonlyMap<string, AutonomousSettings>;

  /** @internal Use `HandoffBuilder.build()`, which validates the definition first and hashes it. */
  constructor(definition: ResolvedDefinition, version: string) {
    this.name = definition.name;
    this.description = definition.description;
    this.startAgent = definition.startAgent;
    this.agents = Object.freeze([...definition.agents]);
    this.interactionMode = definition.interactionMode;
    this.terminationCondition = definition.terminationCondition;
    this.maxTurns = definition.maxTurns;
    this.replyTimeoutMs = definition.replyTimeoutMs;
    this.continueAsNewEvery = definition.continueAsNewEvery;
    this.toolCallFiltering = definition.toolCallFiltering;
    this.byName = new Map(this.agents.map((a) => [a.name, a]));
    this.graph = new Map(definition.graph);
    this.autonomous = new Map([...definition.autonomous].map(([name, s]) => [name, Object.freeze({ ...s })]));
    this.version = version;
    Object.freeze(this);
  }

  /** The participant names, in participant order. */
  get agentNames(): readonly string[] {
    return this.agents.map((a) => a.name);
  }

  /** The agent named `name`, or undefined. */
  getAgent(name: string): AgentDefinition | undefined {
    return this.byName.get(name);
  }

  /** True when `name` is a participant. */
  hasAgent(name: string): boolean {
    return this.byName.has(name);
  }

  /** The agent named `name`; a {@link WorkflowInputError} naming the participants when there is none. */
  requireAgent(name: string): AgentDefinition {
    const found = this.byName.get(name);
    if (found === undefined) {
      throw new WorkflowInputError(
        `Workflow '${this.name}' has no agent ${JSON.stringify(name)}. Agents: ${this.agentNames.join(', ')}.`,
      );
    }
    return found;
  }

  /** The agents `agentName` may hand off to, in a stable order, with their tool names and descriptions. */
  handoffTargets(agentName: string): readonly HandoffTarget[] {
    this.requireAgent(agentName);
    return this.graph.get(agentName) ?? [];
  }

  /** Every allowed handoff, source by source in participant order. */
  get edges(): readonly { source: string; target: string; description: string }[] {
    return this.agents.flatMap((a) =>
      (this.graph.get(a.name) ?? []).map((t) => ({
        source: a.name,
        target: t.target,
        description: t.description,
      })),
    );
  }

  /** How `agentName` behaves when a run is autonomous. */
  autonomousSettingsFor(agentName: string): AutonomousSettings {
    this.requireAgent(agentName);
    const settings = this.autonomous.get(agentName);
    if (settings === undefined)
      throw new WorkflowDefinitionError(
        `Workflow '${this.name}' lost the autonomous settings of '${agentName}'.`,
      );
    return settings;
  }

  /** The JSON-only snapshot of every data option the orchestrator needs; validate with `RunPlanSchema`. */
  plan(): RunPlan {
    return {
      schemaVersion: 1,
      workflow: this.name,
      version: this.version,
      startAgent: this.startAgent,
      interactionMode: this.interactionMode,
      maxTurns: this.maxTurns,
      replyTimeoutMs: this.replyTimeoutMs,
      continueAsNewEvery: this.continueAsNewEvery,
      toolCallFiltering: this.toolCallFiltering,
      autonomous: Object.fromEntries(
        this.agents.map((a) => [a.name, { ...this.autonomousSettingsFor(a.name) }]),
      ),
    };
  }

  /** The public JSON description (no instructions): participants, start agent, edges, mode, version. */
  describe(): WorkflowDescription {
    return {
      name: this.name,
      ...(this.description !== undefined ? { description: this.description } : {}),
      participants: this.agents.map((a) => ({
        name: a.name,
        ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
        ...(a.description !== undefined ? { description: a.description } : {}),
      })),
      startAgent: this.startAgent,
      edges: this.edges.map((e) => ({ ...e })),
      interactionMode: this.interactionMode,
      version: this.version,
    };
  }

  /**
   * Runs the termination condition on the clean conversation; false when there is none. The condition
   * gets a copy. A condition that throws or answers with something other than a boolean is reported as
   * a {@link WorkflowDefinitionError} naming this workflow (the original error is its `cause`).
   */
  shouldTerminate(conversation: readonly ConversationMessage[]): boolean {
    if (this.terminationCondition === undefined) return false;
    try {
      return evaluateTerminationCondition(this.terminationCondition, conversation);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new WorkflowDefinitionError(
        `The termination condition of workflow '${this.name}' failed: ${reason}`,
        {
          cause: error,
        },
      );
    }
  }
}
