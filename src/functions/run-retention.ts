/**
 * `handoffRetention`: a timer function that purges runs that ended more than
 * `DURABLE_HANDOFF_RETENTION_DAYS` ago, their Durable history and their run store data, once a day.
 *
 * A timer trigger rather than an eternal orchestration: the platform runs it on one instance at a
 * time (a blob lease), it costs nothing between runs, and it keeps no history of its own to purge.
 * The local host does not fire timers on their schedule; `POST /admin/functions/handoffRetention`
 * with the master key runs it there (and on Azure) at once.
 */
import { app, type InvocationContext } from '@azure/functions';
import type { HandoffServices } from '../app/handoff-services';
import { durableClient, durableFunctions } from '../durable/durable-functions-sdk';
import { purgeExpiredRuns, type PurgeClient } from '../durable/retention/purge-runs';
import { durableRunClient } from '../http/run-management-client';
import { durableClientInput } from './durable-bindings';

/** Every day at 03:17 UTC (NCRONTAB, seconds first). */
export const RETENTION_SCHEDULE = '0 17 3 * * *';

function isoOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** The purge operations on durable-functions' client. */
export function durablePurgeClient(context: InvocationContext): PurgeClient {
  const df = durableFunctions();
  const client = durableClient(context);
  return {
    listFinished: async (createdBefore) => {
      const statuses = await client.getStatusBy({
        createdTimeTo: createdBefore,
        runtimeStatus: [
          df.OrchestrationRuntimeStatus.Completed,
          df.OrchestrationRuntimeStatus.Failed,
          df.OrchestrationRuntimeStatus.Terminated,
        ],
      });
      return statuses.map((status) => ({
        instanceId: status.instanceId,
        name: status.name,
        lastUpdatedTime: isoOf(status.lastUpdatedTime),
        customStatus: status.customStatus,
        input: status.input,
      }));
    },
    purge: async (instanceId) => {
      await client.purgeInstanceHistory(instanceId);
    },
    status: (instanceId) => durableRunClient(context).getStatus(instanceId, { showInput: true }),
  };
}

/** Purges the runs past their retention; logs what it did. */
export async function runRetention(context: InvocationContext, services: HandoffServices): Promise<void> {
  const retentionMs = services.access().retentionMs;
  if (retentionMs === undefined) return;
  const result = await purgeExpiredRuns({
    client: durablePurgeClient(context),
    store: services.store(),
    claims: services.claims(),
    retentionMs,
    now: new Date(),
  });
  context.log(
    `Retention: purged ${result.runs} runs that ended more than ${retentionMs / 86_400_000} days ago and ` +
      `${result.orphans} run store partitions no run leads to (${result.rows} run store rows); ` +
      `released ${result.orphanClaims} run-id claims of runs that no longer exist.`,
  );
  for (const failure of result.failures)
    context.warn(`Retention: could not purge run ${failure}; the next sweep tries again.`);
}

/** Registers the `handoffRetention` timer function. */
export function registerRunRetention(services: HandoffServices): void {
  app.timer('handoffRetention', {
    schedule: RETENTION_SCHEDULE,
    extraInputs: [durableClientInput()],
    handler: (_timer, context) => runRetention(context, services),
  });
}
