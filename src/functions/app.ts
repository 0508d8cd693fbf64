/**
 * The app's entry: registers every function of durable-handoff for this app's workflows
 * (`src/workflows`). A library user's app does the same with its own registry.
 */
import { registerHandoffApp } from '../app/register-handoff-app';
import { workflowRegistry } from '../workflows';

registerHandoffApp({ workflows: workflowRegistry });
