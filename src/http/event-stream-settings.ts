/** How the event stream endpoint polls the run store and how long one stream stays open. */
export interface EventStreamSettings {
  /** `DURABLE_HANDOFF_SSE_POLL_MS`: 50 ms to 60 s, default 500. */
  pollMs: number;
  /**
   * `DURABLE_HANDOFF_SSE_MAX_SECONDS` (default 120, at most 220: under the 230 s limit of Azure's
   * front ends), in milliseconds; clients reconnect with Last-Event-ID.
   */
  maxDurationMs: number;
}

function numberSetting(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = Number(env[name] ?? fallback);
  return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/** Reads the event stream settings; a value out of range falls back to the default. */
export function eventStreamSettings(env: Readonly<Record<string, string | undefined>>): EventStreamSettings {
  return {
    pollMs: numberSetting(env, 'DURABLE_HANDOFF_SSE_POLL_MS', 500, 50, 60_000),
    maxDurationMs: numberSetting(env, 'DURABLE_HANDOFF_SSE_MAX_SECONDS', 120, 1, 220) * 1000,
  };
}
