/**
 * Defaults of a handoff workflow. The autonomous prompt text and turn limit are the Agent Framework's,
 * so ported workflows behave the same.
 */

/** The synthetic user message that asks an agent to continue in autonomous mode. */
export const DEFAULT_AUTONOMOUS_PROMPT = 'User did not respond. Continue assisting autonomously.';

/** Autonomous turns an agent may take in a row before the workflow asks the human. */
export const DEFAULT_AUTONOMOUS_TURN_LIMIT = 50;

/** The hard cap on agent turns of a run. */
export const DEFAULT_MAX_TURNS = 100;

/** How long a run waits for the human's reply: 24 hours. */
export const DEFAULT_REPLY_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Agent turns between two `continueAsNew` calls of the orchestrator (keeps Durable history short). */
export const DEFAULT_CONTINUE_AS_NEW_EVERY = 10;

/** The longest reply timeout accepted: 365 days. */
export const MAX_REPLY_TIMEOUT_MS = 365 * 24 * 60 * 60 * 1000;
