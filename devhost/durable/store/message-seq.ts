/**
 * Arrival order of inbox messages: wall-clock milliseconds plus a counter, as a sortable string.
 * Wall time (not the engine's clock) keeps the order across restarts even under a virtual clock.
 */
let last = 0;
let counter = 0;

/** The next arrival key; strictly increasing within a process, increasing across restarts. */
export function nextMessageSeq(): string {
  const now = Date.now();
  if (now > last) {
    last = now;
    counter = 0;
  } else {
    counter += 1;
  }
  return `${String(last).padStart(15, '0')}.${String(counter).padStart(6, '0')}`;
}
