/**
 * History bytes per turn and replay time per turn, from a long autonomous conversation run in its
 * own child process (see `long-conversation-task.ts`).
 */
import { runOursOnlyChild } from '../child/run-ours-only-child';
import type { OursOnlyMeasurement } from '../ours-only-measurement';

/** Two 66-turn conversations, then the replays: well under a minute here; ten is the deadline. */
const DEADLINE_MS = 600_000;

/** The long-conversation measurement. */
export const longConversation: OursOnlyMeasurement = {
  id: 'long-conversation',
  title: 'long conversation: history bytes per turn, replay time at turns 5, 20, 45, 60, 65',
  measure: ({ rounds }) =>
    runOursOnlyChild(
      'long-conversation',
      { rounds: { warmup: rounds.warmup, runs: rounds.runs } },
      DEADLINE_MS,
    ),
};
