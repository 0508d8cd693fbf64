/** The agent-turn activity. */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { createAgentTurnHandler } from '../durable/activities/agent-turn-handler';
import { appChatModel, appRunStore } from '../durable/run-services';
import { agentTurnActivity } from '../durable/wire/agent-turn-activity';
import type { WorkflowSource } from '../durable/workflow-source';

/** Registers `handoffAgentTurn` for `workflows`, and announces the model in use at start-up. */
export function registerAgentTurn(workflows: WorkflowSource): void {
  app.hook.appStart(() => {
    // Load the model once at start-up so configuration errors and the model in use show up immediately.
    appChatModel((line) => console.log(line));
  });
  df.app.activity(agentTurnActivity.name, {
    handler: createAgentTurnHandler({ workflows, store: appRunStore, model: () => appChatModel() }),
  });
}
