/** Registers the agent-turn activity and announces the model in use at start-up. */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { createAgentTurnHandler } from '../durable/activities/agent-turn-handler';
import { appChatModel, appRunStore } from '../durable/run-services';
import { agentTurnActivity } from '../durable/wire/agent-turn-activity';
import { workflowRegistry } from '../workflows';

app.hook.appStart(() => {
  // Load the model once at start-up so configuration errors and the model in use show up immediately.
  appChatModel((line) => console.log(line));
});

df.app.activity(agentTurnActivity.name, {
  handler: createAgentTurnHandler({
    workflows: workflowRegistry,
    store: appRunStore,
    model: () => appChatModel(),
  }),
});
