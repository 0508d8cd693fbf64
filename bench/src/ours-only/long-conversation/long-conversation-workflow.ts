/**
 * The workflow of the long conversation: customer_support's agents and handoff edges, autonomous,
 * with no termination condition and a high turn cap.
 *
 * Why not customer_support itself: its termination condition (`maxMessages(6)`, the article's) ends
 * every run at its sixth message, and the agent-turn activity evaluates the condition of the
 * deployed definition (the pinned run plan does not carry it), so no orchestration input can make a
 * customer_support run last 60 turns. The bench registers this workflow in the app's own registry,
 * in the process that hosts the app, before starting the run; the orchestrator, the activities and
 * the HTTP API then see it like any registered workflow.
 */
import type { HandoffWorkflow } from '../../../../dist/src/index.js';
import type { HostedAppModules } from '../../ours/hosted-app-modules';

/** The workflow's name. */
export const LONG_CONVERSATION_WORKFLOW = 'bench_long_conversation';

/**
 * customer_support's agents and edges, autonomous for up to `maxTurns` turns, no termination
 * condition, the default continue-as-new interval (10 turns; 20 before #16). Built from the hosted app's modules.
 */
export function buildLongConversationWorkflow(app: HostedAppModules, maxTurns: number): HandoffWorkflow {
  const { coordinatorAgent, refundAgent, shippingAgent, technicalAgent, seniorTechnicalAgent } =
    app.customerSupport;
  return new app.library.HandoffBuilder({
    name: LONG_CONVERSATION_WORKFLOW,
    description: 'customer_support without its termination condition, for the bench',
  })
    .withStartAgent(coordinatorAgent)
    .participants([refundAgent, shippingAgent, technicalAgent, seniorTechnicalAgent])
    .addHandoff(refundAgent, technicalAgent)
    .addHandoff(shippingAgent, refundAgent)
    .addHandoff(technicalAgent, seniorTechnicalAgent)
    .withAutonomousMode({ turnLimits: maxTurns })
    .withMaxTurns(maxTurns)
    .build();
}

/** Registers `workflow` in the hosted app's registry (once). */
export function registerInHostedApp(app: HostedAppModules, workflow: HandoffWorkflow): void {
  if (!app.workflows.workflowRegistry.has(workflow.name)) app.workflows.workflowRegistry.register(workflow);
}
