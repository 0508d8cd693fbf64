/**
 * The model-call audit of the crash loop: a model call whose turn was committed before a crash
 * must never be made (charged) again. Pure: it reads what the test recorded.
 */

/** One request the scripted model server received for a story call. */
export interface ObservedCall {
  /** The story call's key (`<tag>|<agent>|<user messages>`). */
  key: string;
  tag: string;
  /** The agent turn the call belongs to. */
  turn: number;
  /** When the model server received it (ms since the epoch). */
  at: number;
}

/** One life of the host process. */
export interface HostEpoch {
  spawnedAt: number;
  /** When it was SIGKILLed; undefined for a host that was not killed (the last one). */
  killedAt?: number;
}

/** What the audit needs. */
export interface ChargeAuditInput {
  /** Every key the stories expect, each at least once. */
  expectedKeys: readonly string[];
  calls: readonly ObservedCall[];
  /** Host lives in spawn order. */
  epochs: readonly HostEpoch[];
  /** When the run's status first showed `turn` as done (status.turn >= turn), if it ever did. */
  turnSeenDoneAt(tag: string, turn: number): number | undefined;
}

/** The audit's findings. */
export interface ChargeAuditResult {
  /** Calls made again because a kill interrupted them before their turn was committed. */
  allowedRepeats: number;
  /** Calls made again that the crash cannot explain (a committed turn charged twice). */
  violations: string[];
  /** Expected calls never made. */
  missing: string[];
}

/** The host life that sent a request received at `at`: the last one spawned before it. */
export function epochAt(epochs: readonly HostEpoch[], at: number): number {
  let index = -1;
  epochs.forEach((epoch, i) => {
    if (epoch.spawnedAt <= at) index = i;
  });
  return index;
}

/**
 * Checks every repeated call: each earlier request must have been sent by a host that was then
 * killed, the repeat must come after that kill, and the run's status must not have shown the turn
 * as done before that kill (a turn seen done was committed; charging it again is a bug).
 *
 * @example
 * const audit = auditCharges({ expectedKeys, calls, epochs, turnSeenDoneAt });
 * expect(audit.violations).toEqual([]);
 */
export function auditCharges(input: ChargeAuditInput): ChargeAuditResult {
  const byKey = new Map<string, ObservedCall[]>();
  for (const call of input.calls) {
    const list = byKey.get(call.key) ?? [];
    list.push(call);
    byKey.set(call.key, list);
  }
  const missing = input.expectedKeys.filter((key) => !byKey.has(key));
  const violations: string[] = [];
  let allowedRepeats = 0;
  for (const [key, list] of byKey) {
    const calls = [...list].sort((a, b) => a.at - b.at);
    for (let i = 0; i + 1 < calls.length; i += 1) {
      const earlier = calls[i]!;
      const repeat = calls[i + 1]!;
      const epochIndex = epochAt(input.epochs, earlier.at);
      const killedAt = input.epochs[epochIndex]?.killedAt;
      const seenDone = input.turnSeenDoneAt(earlier.tag, earlier.turn);
      const when = `request ${i + 2} of ${key} at +${repeat.at - earlier.at} ms`;
      if (killedAt === undefined) {
        violations.push(`${when}: repeated although the host that sent the earlier one was never killed`);
      } else if (repeat.at < killedAt) {
        violations.push(`${when}: repeated by the same host life, before its kill`);
      } else if (seenDone !== undefined && seenDone < killedAt) {
        violations.push(
          `${when}: turn ${earlier.turn} was shown as done ${killedAt - seenDone} ms before the kill, yet charged again`,
        );
      } else {
        allowedRepeats += 1;
      }
    }
  }
  return { allowedRepeats, violations, missing };
}
