/**
 * The registry of workflows an app runs, by name.
 */
import { WorkflowDefinitionError, WorkflowInputError } from '../core/errors';
import type { HandoffWorkflow } from '../core/workflow';

/**
 * Workflows by name. The app reads one registry; runs name their workflow, and an unknown name fails
 * with the list of registered ones.
 *
 * @example
 * const registry = new WorkflowRegistry().register(customerSupport);
 * registry.get('customer_support').startAgent; // 'coordinator_agent'
 */
export class WorkflowRegistry {
  private readonly byName = new Map<string, HandoffWorkflow>();

  /** Adds `workflow`; a second workflow with the same name is rejected. */
  register(workflow: HandoffWorkflow): this {
    if (this.byName.has(workflow.name)) {
      throw new WorkflowDefinitionError(
        `A workflow named '${workflow.name}' is already registered; workflow names must be unique in an app.`,
      );
    }
    this.byName.set(workflow.name, workflow);
    return this;
  }

  /** True when a workflow named `name` is registered. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The workflow named `name`; a {@link WorkflowInputError} listing the registered names when there is none. */
  get(name: string): HandoffWorkflow {
    const workflow = this.byName.get(name);
    if (workflow === undefined) {
      const known = [...this.byName.keys()];
      throw new WorkflowInputError(
        `Unknown workflow ${JSON.stringify(name)}. Registered workflows: ${known.length > 0 ? known.join(', ') : 'none'}.`,
      );
    }
    return workflow;
  }

  /** Every registered workflow, in registration order. */
  list(): readonly HandoffWorkflow[] {
    return [...this.byName.values()];
  }
}
