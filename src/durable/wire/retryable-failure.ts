/**
 * How a retryable failure crosses the activity boundary. Durable Functions retries every thrown
 * error and, after the last attempt, hands the orchestrator only a message
 * (`Activity function 'X' failed: <message> ...`), so the activity puts the error code in the message
 * in a form the orchestrator can read back.
 */

/** The message a retryable failure is thrown with: `[code] message`. */
export function retryableFailureMessage(code: string, message: string): string {
  return `[${code}] ${message}`;
}

const CODED = /\[([a-z_]+)\] ([^\n]*)/;

/** Reads the code and message back from a failed task's error text; `internal` when there is none. */
export function parseRetryableFailure(text: string): { code: string; message: string } {
  const match = CODED.exec(text);
  if (match?.[1] && match[2] !== undefined) return { code: match[1], message: match[2].trim() };
  const firstLine = text.split('\n')[0] ?? text;
  return { code: 'internal', message: firstLine.trim() };
}
