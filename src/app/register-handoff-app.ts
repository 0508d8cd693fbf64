import { app } from '@azure/functions';
import { registerAgentTurn } from '../functions/agent-turn';
import { registerChatPage } from '../functions/chat-page';
import { registerFinishRun } from '../functions/finish-run';
import { registerHandoffOrchestrator } from '../functions/handoff-orchestrator';
import { registerKeyCheck } from '../functions/key-check';
import { registerGetRunEvents } from '../functions/run-events';
import { registerRespondToRun } from '../functions/run-respond';
import { registerRunRetention } from '../functions/run-retention';
import { registerStartRun } from '../functions/run-start';
import { registerGetRunStatus } from '../functions/run-status';
import { registerTerminateRun } from '../functions/run-terminate';
import { registerSyncRun } from '../functions/sync-run';
import { registerListWorkflows } from '../functions/workflows';
import { createHandoffServices, type HandoffServiceOptions } from './handoff-services';

/** What {@link registerHandoffApp} takes. Only `workflows` is required; the rest comes from app settings. */
export interface HandoffAppOptions extends HandoffServiceOptions {
  /** The workflows the app runs, by name (a `WorkflowRegistry`). */
  workflows: HandoffServiceOptions['workflows'];
  /**
   * The chat model every agent turn calls: a `ChatModel`, or a function that makes one (called once,
   * at the first agent turn, so a heavy SDK loads then). Default: the model the app settings name
   * (Azure OpenAI, an OpenAI-compatible server, or the offline demo model).
   */
  model?: HandoffServiceOptions['model'];
  /** Where runs keep their events, messages and replies. Default: Table storage on `AzureWebJobsStorage`. */
  store?: HandoffServiceOptions['store'];
  /**
   * The secret run tokens are signed with (at least 16 characters). Default: the
   * `DURABLE_HANDOFF_TOKEN_SECRET` app setting (required in Azure; generated per app folder locally).
   */
  tokenSecret?: string;
  /**
   * The app's HTTP route prefix, for the run links the API returns and its key check. Default:
   * host.json's `extensions.http.routePrefix` (`api` when unset). It must match what the host applies.
   */
  routePrefix?: string;
  /** Where durable-handoff's own log lines go; the console by default. */
  logger?: HandoffServiceOptions['logger'];
  /** Serve the chat page at `GET /<prefix>/chat` (default true). */
  chatPage?: boolean;
}

/**
 * Registers durable-handoff in an Azure Functions app (Node v4 programming model): the orchestrator,
 * its activities, the HTTP API under `/<prefix>/workflows/...` and the chat page. Call it once from a
 * file that the app's `package.json` `main` loads.
 *
 * Nothing is read or loaded here but the start endpoint's auth level
 * (`DURABLE_HANDOFF_START_AUTH_LEVEL`, which the host needs now): the model, the run store and the
 * token secret are built from the options and app settings on first use. It also turns on HTTP
 * streaming (`app.setup({ enableHttpStream: true })`), which the event stream needs.
 *
 * @example
 * // src/functions/handoff.ts
 * import { registerHandoffApp, WorkflowRegistry } from 'durable-handoff';
 * import { supportDesk } from '../workflows/support-desk';
 *
 * registerHandoffApp({ workflows: new WorkflowRegistry().register(supportDesk) });
 */
export function registerHandoffApp(options: HandoffAppOptions): void {
  const services = createHandoffServices(options);
  app.setup({ enableHttpStream: true });
  // Spans and metrics still buffered are sent before the process goes.
  app.hook.appTerminate(() => services.shutdownTelemetry());
  registerHandoffOrchestrator(services.workflows);
  registerAgentTurn(services);
  registerSyncRun(services);
  registerFinishRun(services);
  registerListWorkflows(services);
  registerStartRun(services);
  registerGetRunStatus(services);
  registerRespondToRun(services);
  registerGetRunEvents(services);
  registerTerminateRun(services);
  registerKeyCheck();
  registerRunRetention(services);
  if (options.chatPage ?? true) registerChatPage(services);
}
