/** The agent-turn activity. */
import { app } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import { createAgentTurnHandler } from '../durable/activities/agent-turn-handler';
import { transcriptCacheOf } from '../durable/activities/transcript-cache';
import { endedConversationsOf } from '../durable/store/ended-conversations';
import { agentTurnActivity } from '../durable/wire/agent-turn-activity';
import { registerActivity } from './durable-bindings';

/** Registers `handoffAgentTurn`, and announces the model in use at start-up. */
export function registerAgentTurn(services: HandoffServices): void {
  app.hook.appStart(() => services.announceModel());
  registerActivity(
    agentTurnActivity.name,
    createAgentTurnHandler({
      workflows: services.workflows,
      store: services.store,
      model: services.model,
      tools: services.agentTools,
      previews: services.previews,
      telemetry: services.telemetry,
      transcripts: transcriptCacheOf(services),
      ended: endedConversationsOf(services),
      deferOpening: services.turnInputWithCommit,
    }),
  );
}
