/**
 * The run this tab is following, kept in sessionStorage so that a reload resumes it: the page
 * rebuilds the conversation from the run's event log and carries on live.
 */
import type { RunRef } from 'durable-handoff/client';
import { z } from 'zod';

const KEY = 'durable-handoff.chat.run';

/** What the tab keeps: the run (workflow, id, token) and the highest event `seq` it had shown. */
const SavedRunSchema = z.object({
  workflow: z.string().min(1),
  runId: z.string().min(1),
  token: z.string().min(1),
  lastSeq: z.number().int().nonnegative(),
});

/** A followed run and the highest event `seq` the tab had shown. */
export interface SavedRun {
  run: Required<RunRef>;
  lastSeq: number;
}

/** The saved run, or undefined (none, or unreadable: then it is forgotten). */
export function loadSavedRun(storage: Storage): SavedRun | undefined {
  const text = storage.getItem(KEY);
  if (text === null) return undefined;
  try {
    const { lastSeq, ...run } = SavedRunSchema.parse(JSON.parse(text));
    return { run, lastSeq };
  } catch {
    storage.removeItem(KEY);
    return undefined;
  }
}

/** Saves the run and how far the tab got. */
export function saveRun(storage: Storage, saved: SavedRun): void {
  const { workflow, runId, token } = saved.run;
  storage.setItem(KEY, JSON.stringify({ workflow, runId, token, lastSeq: saved.lastSeq }));
}

/** Forgets the run (a new conversation). */
export function forgetRun(storage: Storage): void {
  storage.removeItem(KEY);
}
