/** The name of the one orchestrator that runs every handoff workflow. */
export const HANDOFF_ORCHESTRATOR = 'handoffOrchestrator';
