/** The one orchestrator that runs every workflow of the app. */
import { HANDOFF_ORCHESTRATOR } from '../durable/names';
import { createHandoffOrchestrator, type WorkflowLookup } from '../durable/orchestrator/handoff-orchestrator';
import { registerOrchestration } from './durable-bindings';

/** Registers `handoffOrchestrator` for `workflows`. */
export function registerHandoffOrchestrator(workflows: WorkflowLookup): void {
  registerOrchestration(HANDOFF_ORCHESTRATOR, createHandoffOrchestrator(workflows));
}
