/** Registers the one orchestrator that runs every workflow of the app. */
import * as df from 'durable-functions';
import { HANDOFF_ORCHESTRATOR } from '../durable/names';
import { createHandoffOrchestrator } from '../durable/orchestrator/handoff-orchestrator';
import { workflowRegistry } from '../workflows';

df.app.orchestration(HANDOFF_ORCHESTRATOR, createHandoffOrchestrator(workflowRegistry));
