/**
 * Runs on a host whose durable engine follows a virtual clock: waits for a run to end, moving the
 * clock to the next durable timer whenever the engine is idle and that timer is near (a retry
 * back-off), so retries that take seconds of real time happen at once. Far timers (the 24 h reply
 * timeout) never fire by accident.
 */
import type { VirtualClock } from '../../../devhost/durable';
import { waitFor } from '../../support/api-client';
import type { AppHost } from '../../support/app-host';
import { FINAL_STATES, runStatus, type RunStatusBody, type StartedRun } from './run-api';

/** Waits for `run` to end, firing durable timers at most `maxStepMs` ahead of the clock. */
export function endWithNearTimers(
  app: AppHost,
  clock: VirtualClock,
  run: StartedRun,
  maxStepMs: number,
): Promise<RunStatusBody> {
  const engine = app.host.durable;
  if (!engine) throw new Error('The app host has no durable engine.');
  return waitFor(
    `run ${run.runId} to end, firing timers up to ${maxStepMs} ms ahead`,
    async () => {
      await engine.idle();
      const status = await runStatus(app.api, run);
      if (FINAL_STATES.includes(status.state)) return status;
      const next = clock.nextTimerAt();
      if (next && next.getTime() - clock.now().getTime() <= maxStepMs) clock.advanceTo(next);
      return undefined;
    },
    { timeoutMs: 30_000, intervalMs: 25 },
  );
}
