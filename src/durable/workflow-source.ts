import type { HandoffWorkflow } from '../core/workflow';

/** Where the durable binding finds workflows by name (the app's `WorkflowRegistry`). */
export interface WorkflowSource {
  has(name: string): boolean;
  get(name: string): HandoffWorkflow;
  list(): readonly HandoffWorkflow[];
}
