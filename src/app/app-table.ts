import type { TableClient } from '@azure/data-tables';
import { loadStorageSettings } from '../durable/store/storage-settings';
import { createClients } from '../durable/store/table-run-store';

function isConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: number }).statusCode === 409;
}

/**
 * A table in the app's own storage account, the one the run store uses: `AzureWebJobsStorage` (a
 * connection string, or the identity-based settings the Functions host reads), so tools can keep
 * their data beside the runs with nothing more to configure. The table is created if it is missing.
 * Settings are read now, at use, from `env`.
 *
 * @example
 * const orders = await openAppTable('SampleOrders');
 * const order = await orders.getEntity('12345', 'order');
 */
export async function openAppTable(
  name: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<TableClient> {
  const { clients } = await createClients(loadStorageSettings(env), [name]);
  const table = clients[0]!;
  try {
    await table.createTable();
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
  return table;
}
