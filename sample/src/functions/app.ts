/**
 * The sample app's entry (package.json `main`): registers durable-handoff's functions for this
 * app's workflows. It uses the library as any app would, through its public entry only.
 */
import { registerHandoffApp } from 'durable-handoff';
import { workflowRegistry } from '../workflows';

registerHandoffApp({ workflows: workflowRegistry });
