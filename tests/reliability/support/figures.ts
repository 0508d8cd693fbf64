/**
 * The reliability suite's figures. Each test file records its part in
 * `test-output/reliability/<part>.json`; the suite's reporter (`figures-reporter.cjs`) merges the
 * parts of the current jest run into `test-output/reliability.json` and prints the table.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Where the parts go. */
export const FIGURES_DIR = path.resolve(__dirname, '../../../test-output/reliability');

/** The figures a part may report; every one is a count, summed across parts. */
export interface Figures {
  /** Model faults and hostile model actions injected (errors, resets, delays, bad tool calls...). */
  faultsInjected?: number;
  /** SIGKILLs of the host. */
  kills?: number;
  /** Runs started. */
  runs?: number;
  /** Hostile or malformed HTTP requests sent. */
  requests?: number;
  /** Chat Completions requests the scripted model server answered. */
  modelRequests?: number;
  /** Model calls made again because a kill interrupted them before their turn was committed. */
  recharged?: number;
  /** Tool calls that ran (each counted once, however often a kill made it run). */
  toolCalls?: number;
  /** Tool calls executed again after their result had been recorded (must be 0). */
  toolCallsExecutedAgain?: number;
  /** Model calls requested again after their response had been recorded (must be 0). */
  responsesRequestedAgain?: number;
  /** Expected conversation messages missing at the end. */
  lost?: number;
  /** Messages, events or committed model calls that occurred more than once. */
  duplicated?: number;
  /** Hostile requests answered with a 5xx. */
  serverErrors?: number;
  /** Hostile requests that got no answer at all (closed, reset or timed out). */
  unanswered?: number;
}

/** One test file's figures. */
export interface FiguresPart {
  part: string;
  figures: Figures;
  /** Anything needed to reproduce the part (e.g. the PRNG seed), shown under the table. */
  notes: string[];
}

/**
 * Writes one part. Called from a test file's `afterAll`, after its tests ran, so a failed test still
 * leaves its figures (which then show what went wrong).
 */
export function recordFigures(part: FiguresPart): void {
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  const file = path.join(FIGURES_DIR, `${part.part}.json`);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(
    temporary,
    `${JSON.stringify({ ...part, recordedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  fs.renameSync(temporary, file);
}

/** A counter of figures, for test files that add up as they go; only figures added are reported. */
export class FigureCounter {
  readonly figures: Figures = {};

  /** Adds each given figure to its running total. */
  add(figures: Figures): void {
    for (const [name, value] of Object.entries(figures) as [keyof Figures, number | undefined][]) {
      if (value !== undefined) this.figures[name] = (this.figures[name] ?? 0) + value;
    }
  }
}
