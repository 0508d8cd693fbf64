/**
 * Timer limits of the Azure Storage provider, which the extension sends to durable-functions and
 * uses itself to split long timers.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** `MaximumDelayTime`: timers longer than this are split (6 days). */
export const MAXIMUM_SHORT_TIMER_MS = 6 * DAY_MS;

/** `LongRunningTimerIntervalLength`: the length of each piece of a split timer (3 days). */
export const LONG_RUNNING_TIMER_INTERVAL_MS = 3 * DAY_MS;

/** The extension's message when a retry interval exceeds {@link MAXIMUM_SHORT_TIMER_MS}. */
export const MAX_DELAY_MESSAGE =
  'The Azure Storage provider supports a maximum of 6 days for time-based delays';
