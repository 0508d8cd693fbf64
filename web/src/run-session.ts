/**
 * The run this tab is following, kept in sessionStorage so that a reload resumes it: the page
 * rebuilds the conversation from the run's event log and carries on live.
 */
import { readStartedRun, type StartedRun } from './api-types.js';
import { integerField, objectOf } from './json-reader.js';

const KEY = 'durable-handoff.chat.run';

/** A followed run and the highest event `seq` the tab had shown. */
export interface SavedRun {
  run: StartedRun;
  lastSeq: number;
}

/** The saved run, or undefined (none, or unreadable: then it is forgotten). */
export function loadSavedRun(storage: Storage): SavedRun | undefined {
  const text = storage.getItem(KEY);
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return { run: readStartedRun(value), lastSeq: integerField(objectOf(value, 'saved run'), 'lastSeq') };
  } catch {
    storage.removeItem(KEY);
    return undefined;
  }
}

/** Saves the run and how far the tab got. */
export function saveRun(storage: Storage, saved: SavedRun): void {
  storage.setItem(KEY, JSON.stringify({ ...saved.run, lastSeq: saved.lastSeq }));
}

/** Forgets the run (a new conversation). */
export function forgetRun(storage: Storage): void {
  storage.removeItem(KEY);
}
