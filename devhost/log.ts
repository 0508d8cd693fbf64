/** Log levels of the Functions worker protocol. */
export type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';

/** Where a log line comes from: the hosted app's code, or the host (and the libraries it drives). */
export type LogCategory = 'user' | 'system' | 'customMetric';

/** One log line. */
export interface LogEntry {
  level: LogLevel;
  category: LogCategory;
  message: string;
  /** The function whose invocation wrote the line, if any. */
  functionName?: string;
  invocationId?: string;
}

/** Receives the host's and the app's log lines. */
export type LogSink = (entry: LogEntry) => void;

const rank: Record<LogLevel, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

/** True when `level` is at least `threshold`. */
export function isAtLeast(level: LogLevel, threshold: LogLevel): boolean {
  return rank[level] >= rank[threshold];
}

// C0 and C1 controls other than tab and line feed, DEL, and the Unicode line separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
const CONTINUATION = `\n${' '.repeat(12)}`;

/**
 * Makes a log message safe to print: control characters become visible escapes (`\r`, `\u001b`),
 * and every line after the first is indented, so a value that came from a request (a key, a path,
 * a message) can never forge a log line of its own or drive the terminal.
 */
export function escapeLogMessage(message: string): string {
  return message
    .replace(CONTROL_CHARACTERS, (c) =>
      c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    .replace(/\n/g, CONTINUATION);
}

/** A sink that prints lines at or above `threshold` to stderr, prefixed with the function name. */
export function consoleLogSink(threshold: LogLevel = 'information'): LogSink {
  return (entry) => {
    if (!isAtLeast(entry.level, threshold) || entry.level === 'none') return;
    const where = entry.functionName ? `[${escapeLogMessage(entry.functionName)}] ` : '';
    process.stderr.write(`${entry.level.padEnd(11)} ${where}${escapeLogMessage(entry.message)}\n`);
  };
}

/** A sink that drops everything (tests pass their own). */
export const silentLogSink: LogSink = () => undefined;
