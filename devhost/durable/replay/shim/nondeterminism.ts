/**
 * DTFx's non-determinism messages (`TaskOrchestrationContext.Handle*Event`), word for word,
 * including the double space one of them has.
 */

const QUESTION =
  'Was a change made to the orchestrator code after this instance had already started running?';

/** Raised while replaying history against the orchestrator's actions; fails the orchestration. */
export class NonDeterminismError extends Error {
  constructor(details: string) {
    super(`Non-Deterministic workflow detected: ${details}`);
    this.name = 'NonDeterminismError';
  }
}

/** DTFx's class name for a planned action, as its messages print it. */
export type PlannedActionTypeName = 'ScheduleTaskOrchestratorAction' | 'CreateTimerOrchestratorAction';

/** History has an activity the replay did not schedule. */
export function activityNotScheduled(id: number, name: string, version: string): NonDeterminismError {
  return new NonDeterminismError(
    `A previous execution of this orchestration scheduled an activity task with sequence ID ${id} and name ` +
      `'${name}' (version '${version}'), but the current replay execution hasn't (yet?) scheduled this task. ${QUESTION}`,
  );
}

/** History has an activity where the replay produced something else. */
export function activityReplacedByOtherAction(
  id: number,
  name: string,
  produced: PlannedActionTypeName,
): NonDeterminismError {
  return new NonDeterminismError(
    `A previous execution of this orchestration scheduled an activity task with sequence number ${id} named ` +
      `'${name}', but the current orchestration replay instead produced a ${produced} action with this sequence number. ${QUESTION}`,
  );
}

/** History has an activity where the replay scheduled a different activity. */
export function activityRenamed(id: number, name: string, replayedName: string): NonDeterminismError {
  return new NonDeterminismError(
    `A previous execution of this orchestration scheduled an activity task with sequence number ${id} ` +
      `named '${name}', but the current orchestration replay instead scheduled an activity task named ` +
      `'${replayedName}' with this sequence number.  ${QUESTION}`,
  );
}

/** History has a timer the replay did not create. */
export function timerNotScheduled(id: number): NonDeterminismError {
  return new NonDeterminismError(
    `A previous execution of this orchestration scheduled a timer task with sequence number ${id} but ` +
      `the current replay execution hasn't (yet?) scheduled this task. ${QUESTION}`,
  );
}

/** History has a timer where the replay produced something else. */
export function timerReplacedByOtherAction(id: number, produced: PlannedActionTypeName): NonDeterminismError {
  return new NonDeterminismError(
    `A previous execution of this orchestration scheduled a timer task with sequence number ${id} named ` +
      `but the current orchestration replay instead produced a ${produced} action with this sequence number. ${QUESTION}`,
  );
}
