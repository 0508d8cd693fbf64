/**
 * `HandoffBuilder`: the Agent Framework's fluent builder for handoff workflows, in TypeScript.
 */
import type { AgentDefinition } from './agent';
import {
  checkAgent,
  checkToolCollisions,
  joinStartAgent,
  participantFor,
  resolveAutonomous,
  sameAgent,
} from './builder-checks';
import {
  DEFAULT_CONTINUE_AS_NEW_EVERY,
  DEFAULT_MAX_TURNS,
  DEFAULT_REPLY_TIMEOUT_MS,
  MAX_REPLY_TIMEOUT_MS,
} from './defaults';
import { WorkflowDefinitionError } from './errors';
import type { InteractionMode } from './events';
import { type HandoffEdge, resolveHandoffGraph } from './handoff-graph';
import { workflowNameProblem } from './names';
import {
  type AutonomousModeOptions,
  type InteractionModeInput,
  type ToolCallFiltering,
  normalizeInteractionMode,
  parseToolCallFiltering,
  positiveIntegerOption,
} from './options';
import { type TerminationCondition, isAsyncFunction } from './termination';
import { definitionDocument } from './definition-version';
import { HandoffWorkflow } from './workflow';

/** What the `HandoffBuilder` constructor takes. */
export interface HandoffBuilderOptions {
  /** `^[A-Za-z0-9_-]{1,64}$`; runs and URLs name the workflow by it. */
  name: string;
  description?: string;
}

/** Options of {@link HandoffBuilderBase.addHandoff}. */
export interface AddHandoffOptions {
  /** The handoff tool's description (default: the target's description, else a default sentence). */
  description?: string;
}

interface DeclaredEdge {
  source: AgentDefinition;
  target: AgentDefinition;
  description?: string;
}

/**
 * The pure part of `HandoffBuilder` (everything but hashing the definition): the package's
 * `HandoffBuilder` extends it and hashes with `node:crypto`, which the core may not import.
 */
export abstract class HandoffBuilderBase {
  private readonly name: string;
  private readonly description: string | undefined;
  private participantList: AgentDefinition[] | undefined;
  private start: AgentDefinition | undefined;
  private readonly declared: DeclaredEdge[] = [];
  private mode: InteractionMode | undefined;
  private autonomous: AutonomousModeOptions | undefined;
  private condition: TerminationCondition | undefined;
  private maxTurns = DEFAULT_MAX_TURNS;
  private replyTimeoutMs = DEFAULT_REPLY_TIMEOUT_MS;
  private continueAsNewEvery = DEFAULT_CONTINUE_AS_NEW_EVERY;
  private toolCallFiltering: ToolCallFiltering = 'handoff_only';

  /** The definition's version: SHA-256 of its document (the package's `HandoffBuilder` uses `node:crypto`). */
  protected abstract hashDefinition(document: string): string;

  constructor(options: HandoffBuilderOptions) {
    const problem = workflowNameProblem(options?.name);
    if (problem !== undefined) throw new WorkflowDefinitionError(problem);
    if (options.description !== undefined && typeof options.description !== 'string') {
      throw new WorkflowDefinitionError(
        `Workflow '${options.name}': description must be a string when given.`,
      );
    }
    this.name = options.name;
    this.description = options.description;
  }

  /** Registers the agents; call once. Rejects an empty list and duplicate names. */
  participants(agents: readonly AgentDefinition[]): this {
    const where = `Workflow '${this.name}': participants()`;
    if (this.participantList !== undefined) {
      throw new WorkflowDefinitionError(`${where} was already called; pass every agent in one call.`);
    }
    if (!Array.isArray(agents) || agents.length === 0) {
      throw new WorkflowDefinitionError(`${where} needs a non-empty list of agents.`);
    }
    const checked = agents.map((a: unknown, i) => checkAgent(a, `${where}[${i}]`));
    const seen = new Set<string>();
    for (const a of checked) {
      if (seen.has(a.name)) {
        throw new WorkflowDefinitionError(`${where} lists '${a.name}' twice; agent names must be unique.`);
      }
      seen.add(a.name);
    }
    this.participantList = checked;
    return this;
  }

  /** Sets the agent that receives the first message; it joins the participants if not listed. */
  withStartAgent(startAgent: AgentDefinition): this {
    const checked = checkAgent(startAgent, `Workflow '${this.name}': withStartAgent()`);
    if (this.start !== undefined && !sameAgent(this.start, checked)) {
      throw new WorkflowDefinitionError(
        `Workflow '${this.name}': the start agent is already '${this.start.name}'; a workflow has one start agent (got '${checked.name}').`,
      );
    }
    this.start = checked;
    return this;
  }

  /** Alias of {@link HandoffBuilderBase.withStartAgent}, the article's name (`set_coordinator`). */
  setCoordinator(coordinator: AgentDefinition): this {
    return this.withStartAgent(coordinator);
  }

  /** Lets `source` hand off to `targets`. Calls merge; repeating an edge with another description fails. */
  addHandoff(
    source: AgentDefinition,
    targets: AgentDefinition | readonly AgentDefinition[],
    options: AddHandoffOptions = {},
  ): this {
    const where = `Workflow '${this.name}': addHandoff()`;
    const from = checkAgent(source, `${where} source`);
    const list: readonly unknown[] = Array.isArray(targets) ? targets : [targets];
    if (list.length === 0)
      throw new WorkflowDefinitionError(`${where} from '${from.name}' needs at least one target.`);
    const description = options.description;
    if (description !== undefined && (typeof description !== 'string' || description.trim() === '')) {
      throw new WorkflowDefinitionError(
        `${where} from '${from.name}': description must be a non-empty string when given.`,
      );
    }
    for (const candidate of list) {
      const to = checkAgent(candidate, `${where} target`);
      if (to.name === from.name) {
        throw new WorkflowDefinitionError(`${where}: '${from.name}' cannot hand off to itself.`);
      }
      const existing = this.declared.find((e) => e.source.name === from.name && e.target.name === to.name);
      if (existing === undefined) {
        this.declared.push({
          source: from,
          target: to,
          ...(description !== undefined ? { description } : {}),
        });
      } else if (
        description !== undefined &&
        existing.description !== undefined &&
        existing.description !== description
      ) {
        throw new WorkflowDefinitionError(
          `${where}: the edge '${from.name}' -> '${to.name}' was declared with the description ${JSON.stringify(existing.description)}; declare it once, or with the same description.`,
        );
      } else if (description !== undefined) {
        existing.description = description;
      }
    }
    return this;
  }

  /** `'human_in_loop'` (default; `'interactive'` is an alias) or `'autonomous'`. A run may override it. */
  withInteractionMode(mode: InteractionModeInput): this {
    this.mode = normalizeInteractionMode(mode);
    return this;
  }

  /**
   * Configures autonomous mode: an agent that answers without handing off gets a synthetic user message
   * (default `"User did not respond. Continue assisting autonomously."`, flagged `synthetic: true`) and
   * continues, up to its turn limit (default 50), after which the workflow asks the human. Turns the
   * default mode to autonomous, as the Agent Framework's `with_autonomous_mode` does, unless
   * `withInteractionMode` says otherwise (the settings then apply to runs that choose autonomous mode).
   */
  withAutonomousMode(options: AutonomousModeOptions = {}): this {
    if (typeof options !== 'object' || options === null) {
      throw new WorkflowDefinitionError(
        'withAutonomousMode takes an object: { agents?, prompts?, turnLimits? }.',
      );
    }
    this.autonomous = { ...options };
    return this;
  }

  /**
   * Sets the termination condition. It runs at step boundaries (before an agent turn when new user input
   * entered, and after a reply that is not a handoff) on the clean conversation: user and assistant text
   * messages with author names, no tool calls, synthetic prompts included and flagged. It must be
   * synchronous and pure: `build()` rejects `async` functions.
   */
  withTerminationCondition(condition: TerminationCondition): this {
    if (typeof condition !== 'function') {
      throw new WorkflowDefinitionError(
        `withTerminationCondition needs a function (conversation) => boolean, got ${typeof condition}.`,
      );
    }
    this.condition = condition;
    return this;
  }

  /** The hard cap on agent turns of a run (default 100). */
  withMaxTurns(turns: number): this {
    this.maxTurns = positiveIntegerOption('withMaxTurns', turns);
    return this;
  }

  /** How long a run waits for the human's reply, in milliseconds (default 24 h, at most 365 days). */
  withReplyTimeout(ms: number): this {
    this.replyTimeoutMs = positiveIntegerOption('withReplyTimeout (milliseconds)', ms, MAX_REPLY_TIMEOUT_MS);
    return this;
  }

  /** Agent turns between two `continueAsNew` calls of the orchestrator (default 10: an episode replays its generation, so a shorter one bounds the costliest episode). */
  withContinueAsNewEvery(turns: number): this {
    this.continueAsNewEvery = positiveIntegerOption('withContinueAsNewEvery', turns);
    return this;
  }

  /** What agents see of tool calls made outside their current turn (default `'handoff_only'`). */
  withToolCallFiltering(filtering: ToolCallFiltering): this {
    this.toolCallFiltering = parseToolCallFiltering(filtering);
    return this;
  }

  /** Validates the definition and returns an immutable {@link HandoffWorkflow}. */
  build(): HandoffWorkflow {
    const where = `Workflow '${this.name}'`;
    if (this.participantList === undefined) {
      throw new WorkflowDefinitionError(
        `${where}: no participants; call .participants([...agents]) before build().`,
      );
    }
    if (this.start === undefined) {
      throw new WorkflowDefinitionError(
        `${where}: no start agent; call .withStartAgent(agent) (or its alias .setCoordinator(agent)). The builder does not pick one for you. Participants: ${this.participantList.map((p) => p.name).join(', ')}.`,
      );
    }
    const agents = joinStartAgent(this.participantList, this.start);
    const edges: HandoffEdge[] = this.declared.map((e) => {
      const edgeWhere = `${where}: addHandoff('${e.source.name}' -> '${e.target.name}')`;
      return {
        source: participantFor(agents, e.source, edgeWhere).name,
        target: participantFor(agents, e.target, edgeWhere).name,
        ...(e.description !== undefined ? { description: e.description } : {}),
      };
    });
    const graph = resolveHandoffGraph(agents, this.start.name, edges);
    checkToolCollisions(agents, graph);
    if (this.condition !== undefined && isAsyncFunction(this.condition)) {
      throw new WorkflowDefinitionError(
        `${where}: the termination condition is an async function. It runs inside the Durable orchestrator, which may only yield durable tasks and cannot await a Promise; make it synchronous and pure.`,
      );
    }
    const definition = {
      name: this.name,
      description: this.description,
      agents,
      startAgent: this.start.name,
      graph,
      interactionMode: this.mode ?? (this.autonomous !== undefined ? 'autonomous' : 'human_in_loop'),
      autonomous: resolveAutonomous(agents, this.autonomous),
      terminationCondition: this.condition,
      maxTurns: this.maxTurns,
      replyTimeoutMs: this.replyTimeoutMs,
      continueAsNewEvery: this.continueAsNewEvery,
      toolCallFiltering: this.toolCallFiltering,
    };
    return new HandoffWorkflow(definition, this.hashDefinition(definitionDocument(definition)));
  }
}
