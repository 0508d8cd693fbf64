/**
 * What the management API handlers need.
 */
import type { OperationsDeps } from '../client/instance-operations';
import type { InProcessClient } from '../client/in-process-client';

/** Dependencies of the route handlers. */
export interface ManagementDeps extends OperationsDeps {
  hubName: string;
  /** The key the management URLs carry as `code=` (the front door requires it), if any. */
  managementKey?: string;
  /** For start-and-wait (`?timeout=&pollingInterval=`). */
  waitFor: InProcessClient['waitFor'];
}
