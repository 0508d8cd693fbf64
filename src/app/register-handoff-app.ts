import { app } from '@azure/functions';
import type { WorkflowSource } from '../durable/workflow-source';
import { registerAgentTurn } from '../functions/agent-turn';
import { registerChatPage } from '../functions/chat-page';
import { registerHandoffOrchestrator } from '../functions/handoff-orchestrator';
import { registerKeyCheck } from '../functions/key-check';
import { registerFinishRun } from '../functions/finish-run';
import { registerGetRunEvents } from '../functions/run-events';
import { registerRespondToRun } from '../functions/run-respond';
import { registerStartRun } from '../functions/run-start';
import { registerGetRunStatus } from '../functions/run-status';
import { registerTerminateRun } from '../functions/run-terminate';
import { registerSyncRun } from '../functions/sync-run';
import { registerListWorkflows } from '../functions/workflows';

/** What {@link registerHandoffApp} registers. */
export interface HandoffAppOptions {
  /** The workflows the app runs, by name (a `WorkflowRegistry`). */
  workflows: WorkflowSource;
  /** Serve the chat page at `GET /api/chat` (default true). */
  chatPage?: boolean;
}

/**
 * Registers durable-handoff in an Azure Functions app (Node v4 programming model): the orchestrator,
 * its activities, the HTTP API under `/api/workflows/...` and the chat page. Call it once from a file
 * that the app's `package.json` `main` loads.
 *
 * It also turns on HTTP streaming (`app.setup({ enableHttpStream: true })`), which the event stream
 * needs.
 *
 * @example
 * // src/functions/handoff.ts
 * import { registerHandoffApp, WorkflowRegistry } from 'durable-handoff';
 * import { supportDesk } from '../workflows/support-desk';
 *
 * registerHandoffApp({ workflows: new WorkflowRegistry().register(supportDesk) });
 */
export function registerHandoffApp(options: HandoffAppOptions): void {
  app.setup({ enableHttpStream: true });
  registerHandoffOrchestrator(options.workflows);
  registerAgentTurn(options.workflows);
  registerSyncRun();
  registerFinishRun();
  registerListWorkflows(options.workflows);
  registerStartRun(options.workflows);
  registerGetRunStatus();
  registerRespondToRun();
  registerGetRunEvents();
  registerTerminateRun();
  registerKeyCheck();
  if (options.chatPage ?? true) registerChatPage();
}
