/**
 * The one error type of the benchmark harness. A benchmark that measures a broken run is
 * worthless, so every check that fails throws one of these and stops the bench.
 */

/** Why the bench stopped, by who is at fault. */
export type BenchErrorCode =
  // a command-line flag or option is wrong
  | 'invalid_option'
  // a framework did not do the scenario's work (wrong answer, wrong route, wrong number of model calls)
  | 'run_mismatch'
  // a framework threw, or could not be set up
  | 'framework_failed'
  // the scripted model server was asked something the scenario does not cover
  | 'unexpected_model_call'
  // a framework worker process broke the protocol or died
  | 'worker_failed';

/** An error of the bench harness, with a stable `code`. */
export class BenchError extends Error {
  readonly code: BenchErrorCode;

  constructor(code: BenchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BenchError';
    this.code = code;
  }
}
