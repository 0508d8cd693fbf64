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

/** A sink that prints lines at or above `threshold` to stderr, prefixed with the function name. */
export function consoleLogSink(threshold: LogLevel = 'information'): LogSink {
  return (entry) => {
    if (!isAtLeast(entry.level, threshold) || entry.level === 'none') return;
    const where = entry.functionName ? `[${entry.functionName}] ` : '';
    process.stderr.write(`${entry.level.padEnd(11)} ${where}${entry.message}\n`);
  };
}

/** A sink that drops everything (tests pass their own). */
export const silentLogSink: LogSink = () => undefined;
