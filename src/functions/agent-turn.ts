/** The agent-turn activity. */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { createAgentTurnHandler } from '../durable/activities/agent-turn-handler';
import { announceAppModel, appChatModel, appRunStore } from '../durable/run-services';
import { agentTurnActivity } from '../durable/wire/agent-turn-activity';
import type { WorkflowSource } from '../durable/workflow-source';

/** Registers `handoffAgentTurn` for `workflows`, and announces the model in use at start-up. */
export function registerAgentTurn(workflows: WorkflowSource): void {
  app.hook.appStart(() => {
    announceAppModel((line) => console.log(line));
  });
  df.app.activity(agentTurnActivity.name, {
    handler: createAgentTurnHandler({ workflows, store: appRunStore, model: appChatModel }),
  });
}
