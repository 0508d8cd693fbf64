/**
 * Agent-owned function tools: `tool({ name, description, parameters, execute })`.
 *
 * The core only defines tools; they run activity-side, inside an agent turn
 * (`src/model/agent-turn/`), where `execute` may do I/O.
 */
import { z } from 'zod';
import { WorkflowDefinitionError } from './errors';
import type { JsonValue } from './json';
import { toolNameProblem } from './names';

/** What a tool returns: text the model reads as is, or a JSON value it reads serialized. */
export type ToolOutput = string | JsonValue;

/** What a running tool knows about its call. */
export interface ToolContext {
  /** The workflow the run belongs to. */
  readonly workflowName: string;
  /** The run the call belongs to. */
  readonly runId: string;
  /** The agent that called the tool. */
  readonly agentName: string;
  /** The model's id for this call, unique within the run. */
  readonly toolCallId: string;
  /**
   * `<runId>:<toolCallId>`: the same for every execution of this call, whatever retried it (an
   * activity retry, a host crash, a redeploy). Hand it to downstream APIs as their idempotency key,
   * so an execution cut short after its effect and before its result was recorded is not applied twice.
   */
  readonly idempotencyKey: string;
  /** Aborted when the turn is cancelled; pass it on to any I/O the tool does. */
  readonly signal?: AbortSignal;
}

/**
 * Whether a call needs a human's approval before it runs: always (`true`), never (`false`, the
 * default), or as a predicate of the validated arguments (e.g. refunds above an amount).
 */
export type ApprovalRule<Args = unknown> = boolean | ApprovalPredicate<Args>;

/**
 * A predicate of a call's validated arguments. Declared as a method so that a tool of specific
 * arguments is still a `FunctionTool` (method parameters are bivariant, as `execute`'s are).
 */
export type ApprovalPredicate<Args> = { bivariant(args: Args): boolean }['bivariant'];

/** A function tool an agent owns. Create one with {@link tool}. */
export interface FunctionTool<Args = unknown> {
  readonly kind: 'function_tool';
  readonly name: string;
  readonly description: string;
  /** The zod schema the model's arguments are validated with before `execute` runs. */
  readonly parameters: z.ZodType<Args>;
  /** `parameters` as JSON Schema (input side), as sent to the provider. */
  readonly jsonSchema: Readonly<Record<string, unknown>>;
  /** Whether a call waits for a human's approval before it runs (see {@link ApprovalRule}). */
  readonly needsApproval: ApprovalRule<Args>;
  /** Runs the tool with validated arguments; a thrown error is reported to the model as the tool's result. */
  execute(args: Args, context: ToolContext): Promise<ToolOutput> | ToolOutput;
}

/** What {@link tool} takes. */
export interface ToolOptions<P extends z.ZodObject> {
  /** `^[A-Za-z0-9_-]{1,64}$`, not starting with `handoff_to_`. */
  name: string;
  /** Tells the model when and how to use the tool. */
  description: string;
  /** A zod object schema of the arguments; it must be representable as JSON Schema. */
  parameters: P;
  /**
   * `true` (or a predicate of the arguments that returns true): the run stops before the call and
   * asks the human (a `request_info` event with `kind: "tool_approval"`); the tool runs only once
   * approved, and a rejection is reported to the model. Default `false`.
   */
  needsApproval?: ApprovalRule<z.output<P>>;
  execute(args: z.output<P>, context: ToolContext): Promise<ToolOutput> | ToolOutput;
}

/**
 * How a definition document describes a tool's approval rule: `true`, `'predicate'`, or nothing for
 * tools that never need approval (so definitions written before approvals keep their version).
 */
export function describeApprovalRule(t: Pick<FunctionTool, 'needsApproval'>): true | 'predicate' | undefined {
  const rule = t.needsApproval as ApprovalRule | undefined;
  if (typeof rule === 'function') return 'predicate';
  return rule === true ? true : undefined;
}

/**
 * True when a call of `t` with `args` needs approval. A predicate that throws counts as "needs
 * approval": when in doubt, a human decides.
 */
export function callNeedsApproval(t: Pick<FunctionTool, 'needsApproval'>, args: unknown): boolean {
  const rule = t.needsApproval as ApprovalRule | undefined;
  if (typeof rule !== 'function') return rule === true;
  try {
    return rule(args) === true;
  } catch {
    return true;
  }
}

/**
 * The JSON Schema of a tool's parameters as sent to providers. `io: 'input'` describes what the model
 * must write (fields with defaults are optional); the `$schema` marker is dropped because some
 * providers reject unknown top-level keys.
 */
export function parametersJsonSchema(parameters: z.ZodType): Record<string, unknown> {
  const schema = z.toJSONSchema(parameters, { io: 'input', unrepresentable: 'throw' }) as Record<
    string,
    unknown
  >;
  delete schema.$schema;
  return schema;
}

/**
 * Defines a function tool an agent can call. The definition is validated now, not at first use:
 * a bad name, an empty description, parameters that are not a zod object or cannot be expressed as
 * JSON Schema fail with a {@link WorkflowDefinitionError}.
 *
 * @example
 * const lookupOrder = tool({
 *   name: 'lookup_order',
 *   description: 'Look up an order by its number.',
 *   parameters: z.object({ orderId: z.string() }),
 *   execute: async ({ orderId }) => ({ orderId, status: 'in_transit' }),
 * });
 * const issueRefund = tool({
 *   name: 'issue_refund',
 *   description: 'Refund an amount of an order.',
 *   parameters: z.object({ orderId: z.string(), amount: z.number().positive() }),
 *   needsApproval: true,
 *   execute: async (args, { idempotencyKey }) => payments.refund({ ...args, idempotencyKey }),
 * });
 */
export function tool<P extends z.ZodObject>(options: ToolOptions<P>): FunctionTool<z.output<P>> {
  const nameProblem = toolNameProblem(options.name);
  if (nameProblem !== undefined) throw new WorkflowDefinitionError(nameProblem);
  const subject = `Tool '${options.name}'`;
  if (typeof options.description !== 'string' || options.description.trim() === '') {
    throw new WorkflowDefinitionError(
      `${subject} needs a non-empty description: the model reads it to decide when to call the tool.`,
    );
  }
  if (!(options.parameters instanceof z.ZodObject)) {
    throw new WorkflowDefinitionError(
      `${subject}: parameters must be a zod object schema, e.g. z.object({ orderId: z.string() }).`,
    );
  }
  const needsApproval = options.needsApproval ?? false;
  if (typeof needsApproval !== 'boolean' && typeof needsApproval !== 'function') {
    throw new WorkflowDefinitionError(
      `${subject}: needsApproval must be true, false or a function (args) => boolean.`,
    );
  }
  if (typeof options.execute !== 'function') {
    throw new WorkflowDefinitionError(
      `${subject}: execute must be a function (args, context) => string | JSON.`,
    );
  }
  let jsonSchema: Record<string, unknown>;
  try {
    jsonSchema = parametersJsonSchema(options.parameters);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WorkflowDefinitionError(
      `${subject}: parameters cannot be sent to a model as JSON Schema (${reason}).`,
    );
  }
  return Object.freeze({
    kind: 'function_tool' as const,
    name: options.name,
    description: options.description,
    parameters: options.parameters as unknown as z.ZodType<z.output<P>>,
    jsonSchema: Object.freeze(jsonSchema),
    needsApproval,
    execute: (args: z.output<P>, context: ToolContext) => options.execute(args, context),
  });
}
