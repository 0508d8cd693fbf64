/**
 * Errors of the local host. Messages say what went wrong and what to do about it.
 */
export type DevhostErrorCode =
  | 'app_load_failed'
  // front door and host configuration (devhost/http, devhost/config)
  | 'invalid_route'
  | 'invalid_config'
  | 'invalid_app'
  | 'registration_closed'
  | 'duplicate_function'
  | 'unknown_function'
  | 'unknown_hook'
  | 'invalid_option'
  | 'storage_failed'
  // durable engine (devhost/durable)
  | 'instance_not_found'
  | 'instance_exists'
  | 'invalid_state'
  | 'invalid_instance_id'
  | 'unknown_orchestrator'
  | 'engine_stopped'
  | 'wait_timeout'
  | 'invalid_recording'
  | 'store_conflict'
  // Azurite launcher (devhost/azurite)
  | 'azurite_failed'
  // the real Durable engine (devhost/real-engine)
  | 'engine_unavailable'
  | 'engine_failed';

/** An error raised by the local host itself (not by the hosted app). */
export class DevhostError extends Error {
  readonly code: DevhostErrorCode;
  constructor(code: DevhostErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DevhostError';
    this.code = code;
  }
}
