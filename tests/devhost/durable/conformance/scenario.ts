import type { EngineHarness } from '../support/engine-harness';

/** One conformance scenario, run against every store. */
export interface Scenario {
  /** Kebab-case name: the recording file name and the base of its instance ids. */
  name: string;
  /** A sentence about the behaviour (the `it` title). */
  title: string;
  /** Runs the scenario with its expectations; returns the instance id to record, if any. */
  run(h: EngineHarness, id: string): Promise<string | undefined>;
}

const HOUR_MS = 60 * 60 * 1000;
/** One hour in ms. */
export const HOUR = HOUR_MS;
/** One day in ms. */
export const DAY = 24 * HOUR_MS;

/** Advances the clock by `stepMs` until the instance finishes (at most `maxSteps` steps). */
export async function advanceUntilFinished(
  h: EngineHarness,
  id: string,
  stepMs: number,
  maxSteps = 20,
): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    const status = await h.engine.client.getStatus(id);
    if (status && ['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) return;
    await h.advance(stepMs);
  }
}

/** The `EventType` names of an instance's history as the management API shows it. */
export async function historyTypes(h: EngineHarness, id: string): Promise<string[]> {
  const status = await h.engine.client.getStatus(id, { showHistory: true });
  return (status?.historyEvents ?? []).map((e) => (e as { EventType: string }).EventType);
}
