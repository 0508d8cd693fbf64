/**
 * The error of the scripted model server: a script that is malformed, or a run that did not go as
 * scripted (steps left over, unexpected calls). Thrown in the test, so the test fails loudly.
 */
import { DurableHandoffError } from '../core/errors';

/** A scripted-model-server failure; the message lists what went wrong. */
export class ScriptedModelServerError extends DurableHandoffError {
  constructor(message: string) {
    super('internal', message);
    this.name = 'ScriptedModelServerError';
  }
}
