/**
 * The files `durable-handoff init` writes: a minimal Functions app (Node v4 programming model,
 * CommonJS JavaScript, so it starts without a build step) with one handoff workflow.
 *
 * The agents' names are those the offline demo model plays (a triage agent that routes to refund
 * and shipping specialists), so the app answers with zero setup and a real model once configured.
 */

/** The app's `host.json`: the route prefix and the task hub the local host and Azure both read. */
export const HOST_JSON = {
  version: '2.0',
  extensions: {
    http: { routePrefix: 'api' },
    durableTask: { hubName: '%DURABLE_HANDOFF_TASK_HUB%' },
  },
};

/**
 * `local.settings.json`: app settings for local runs (never deployed). The model settings are empty,
 * which selects the offline demo model; fill in one provider's settings to use a real model.
 */
export const LOCAL_SETTINGS = {
  IsEncrypted: false,
  Values: {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AZURE_FUNCTIONS_ENVIRONMENT: 'Development',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    DURABLE_HANDOFF_TASK_HUB: 'DurableHandoff',
    DURABLE_HANDOFF_START_AUTH_LEVEL: 'anonymous',
    AZURE_OPENAI_ENDPOINT: '',
    AZURE_OPENAI_DEPLOYMENT: '',
    AZURE_OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    OPENAI_API_KEY: '',
    OPENAI_MODEL: '',
  },
};

/** `package.json` `main`: the files the Functions worker loads at start-up. */
export const APP_MAIN = 'src/functions/*.js';

/** The registration: the file `main` loads. */
export const REGISTRATION_JS = `// Registers durable-handoff's functions (the HTTP API, the orchestrator, its activities and the
// chat page) for this app's workflows. The Functions worker loads this file (package.json "main").
const { registerHandoffApp, WorkflowRegistry } = require('durable-handoff');
const { supportDesk } = require('../workflows/support-desk');

registerHandoffApp({ workflows: new WorkflowRegistry().register(supportDesk) });
`;

/** One workflow: a triage agent that hands off to two specialists. */
export const WORKFLOW_JS = `// The workflow \`support_desk\`: a triage agent hands the conversation to a specialist.
const { HandoffBuilder, agent, anyOf, maxMessages, textMentions } = require('durable-handoff');

const triage = agent({
  name: 'triage_agent',
  // How the chat page names the agent (without it: "Triage agent").
  displayName: 'Support desk',
  description: 'Greets the customer and routes the issue to a specialist.',
  instructions:
    'You are a frontline support agent. Hand refund requests to refund_agent and questions about ' +
    'orders or deliveries to shipping_agent. Ask what the issue is about if it is unclear.',
});

const refunds = agent({
  name: 'refund_agent',
  description: 'Handles refund requests.',
  instructions: 'You handle refunds. Ask for the order number if you do not have it, then answer.',
});

const shipping = agent({
  name: 'shipping_agent',
  description: 'Answers questions about orders and deliveries.',
  instructions: 'You answer questions about orders and deliveries. Give a clear answer and end your response.',
});

exports.supportDesk = new HandoffBuilder({
  name: 'support_desk',
  description: 'A support desk: a triage agent routes refunds and shipping questions to specialists.',
})
  .withStartAgent(triage)
  .participants([refunds, shipping])
  // The conversation ends once an answer says it is settled, or after 10 messages.
  .withTerminationCondition(anyOf(maxMessages(10), textMentions(['resolved', 'delivered', 'refunded'])))
  .build();
`;

/** `.gitignore`: local secrets and the local host's data stay out of the repository. */
export const GITIGNORE = `node_modules/
local.settings.json
.devhost/
`;
