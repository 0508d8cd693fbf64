/**
 * The workflows this app runs. The Functions app reads {@link workflowRegistry}; add a workflow by
 * registering it here.
 */
import { WorkflowRegistry } from 'durable-handoff';
import { customerSupport } from './customer-support';

/** The app's registry: `customer_support`. */
export const workflowRegistry: WorkflowRegistry = new WorkflowRegistry().register(customerSupport);
