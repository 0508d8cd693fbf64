import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Wider lines wrap in an ordinary terminal, and a wrapped table cannot be read there. */
const MAX_WIDTH = 160;
const ROOT = path.resolve(__dirname, '../..');
/** The project's Markdown read in a terminal: the README, the local host's, and the docs. */
const DOCUMENTS = [
  'README.md',
  'devhost/README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The lines of `text` wider than {@link MAX_WIDTH} characters, as `line N (width)`. */
function wideLines(text: string): string[] {
  // Characters, not UTF-16 units: an emoji takes one place in the line, as a reader counts.
  return text.split('\n').flatMap((line, index) => {
    const width = [...line].length;
    return width > MAX_WIDTH ? [`line ${index + 1} (${width})`] : [];
  });
}

describe('the README and the docs in a terminal', () => {
  it.each(DOCUMENTS)(
    `%s has no line wider than ${MAX_WIDTH} characters (tables and console output included)`,
    (document) => {
      expect(wideLines(readFileSync(path.join(ROOT, document), 'utf8'))).toEqual([]);
    },
  );

  it('reads the docs folder', () => {
    expect(DOCUMENTS).toEqual(expect.arrayContaining(['docs/http-api-session.md', 'docs/security.md']));
  });

  it('counts a wide table row, and an emoji as one character', () => {
    const row = `| setting | ${'x'.repeat(MAX_WIDTH - 13)} |`;
    expect(wideLines(`# Title\n${row}\n`)).toEqual([`line 2 (${MAX_WIDTH + 1})`]);
    expect(wideLines(`💬 ${'x'.repeat(MAX_WIDTH - 2)}`)).toEqual([]);
  });
});
