/** The one orchestrator that runs every workflow of the app. */
import * as df from 'durable-functions';
import { HANDOFF_ORCHESTRATOR } from '../durable/names';
import { createHandoffOrchestrator, type WorkflowLookup } from '../durable/orchestrator/handoff-orchestrator';

/** Registers `handoffOrchestrator` for `workflows`. */
export function registerHandoffOrchestrator(workflows: WorkflowLookup): void {
  df.app.orchestration(HANDOFF_ORCHESTRATOR, createHandoffOrchestrator(workflows));
}
