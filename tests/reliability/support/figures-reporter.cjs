// A jest reporter that prints the reliability suite's figures at the end of a run: it merges the
// parts the reliability test files wrote during this run (test-output/reliability/<part>.json),
// writes test-output/reliability.json and prints a table. Runs without reliability tests print nothing.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const PARTS_DIR = path.join(ROOT, 'test-output/reliability');
const SUMMARY = path.join(ROOT, 'test-output/reliability.json');

/** Figure names in table order, with their labels. */
const ROWS = [
  ['faultsInjected', 'faults injected'],
  ['kills', 'host kills (SIGKILL)'],
  ['runs', 'runs'],
  ['requests', 'hostile requests'],
  ['serverErrors', 'hostile requests answered 5xx'],
  ['unanswered', 'hostile requests unanswered'],
  ['modelRequests', 'model requests'],
  ['recharged', 'model calls re-run after a kill'],
  ['responsesRequestedAgain', 'received model responses requested again'],
  ['toolCalls', 'tool calls'],
  ['toolCallsExecutedAgain', 'completed tool calls executed again'],
  ['lost', 'lost'],
  ['duplicated', 'duplicated'],
];

class ReliabilityFiguresReporter {
  constructor() {
    this.startedAt = Date.now();
  }

  onRunStart() {
    this.startedAt = Date.now();
  }

  onRunComplete() {
    if (!fs.existsSync(PARTS_DIR)) return;
    const parts = fs
      .readdirSync(PARTS_DIR)
      .filter((name) => name.endsWith('.json'))
      .map((name) => path.join(PARTS_DIR, name))
      // Only parts written by this run: older files belong to earlier runs.
      .filter((file) => fs.statSync(file).mtimeMs >= this.startedAt)
      .map((file) => JSON.parse(fs.readFileSync(file, 'utf8')))
      .sort((a, b) => a.part.localeCompare(b.part));
    if (parts.length === 0) return;
    const totals = {};
    for (const [key] of ROWS) totals[key] = parts.reduce((sum, p) => sum + (p.figures[key] ?? 0), 0);
    fs.writeFileSync(SUMMARY, `${JSON.stringify({ totals, parts }, null, 2)}\n`);

    const header = ['figure', 'total', ...parts.map((p) => p.part)];
    const body = ROWS.map(([key, label]) => [
      label,
      String(totals[key]),
      ...parts.map((p) => (p.figures[key] === undefined ? '' : String(p.figures[key]))),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
    const line = (cells) =>
      `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
    const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
    const notes = parts.flatMap((p) => p.notes.map((n) => `  ${p.part}: ${n}`));
    process.stdout.write(
      [
        '',
        'Reliability figures (test-output/reliability.json):',
        line(header),
        rule,
        ...body.map(line),
        ...notes,
        '',
      ].join('\n'),
    );
  }
}

module.exports = ReliabilityFiguresReporter;
