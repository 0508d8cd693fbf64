/**
 * The public surface, guarded: the names each entry point exports (values and types) must equal the
 * committed list in public-api.txt. A change to the surface is a decision: update the list in the
 * same commit (`UPDATE_PUBLIC_API=1 npx jest tests/api` rewrites it).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');
const LIST = path.join(__dirname, 'public-api.txt');

/** The package's entry points (package.json `exports`) and their sources. */
const ENTRIES: ReadonlyArray<[string, string]> = [
  ['durable-handoff', 'src/index.ts'],
  ['durable-handoff/client', 'src/client/index.ts'],
  ['durable-handoff/testing', 'src/testing/index.ts'],
];

/** `name (value)` or `name (type)` for every export of `file`, sorted. */
function exportsOf(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${file} is not a module`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      // `export type { HandoffWorkflow }` exports a class as a type only.
      const typeOnly = (symbol.declarations ?? []).some(
        (declaration) =>
          ts.isExportSpecifier(declaration) &&
          (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly),
      );
      return `${symbol.name} (${target.flags & ts.SymbolFlags.Value && !typeOnly ? 'value' : 'type'})`;
    })
    .sort();
}

function surface(): string {
  const files = ENTRIES.map(([, source]) => path.join(root, source));
  const program = ts.createProgram(files, { strict: true, noEmit: true, skipLibCheck: true });
  return ENTRIES.map(
    ([entry, source]) =>
      `# ${entry}\n${exportsOf(program, path.join(root, source))
        .map((line) => `${line}\n`)
        .join('')}`,
  ).join('\n');
}

describe('the public API', () => {
  const actual = surface();
  if (process.env.UPDATE_PUBLIC_API === '1') fs.writeFileSync(LIST, actual);

  it('exports exactly the names in tests/api/public-api.txt from each entry point', () => {
    expect(actual).toBe(fs.readFileSync(LIST, 'utf8'));
  });

  it.each(ENTRIES)('%s exports at run time exactly the values it declares', async (entry, source) => {
    const declared = actual
      .split(`# ${entry}\n`)[1]!
      .split('\n#')[0]!
      .split('\n')
      .filter((line) => line.endsWith(' (value)'))
      .map((line) => line.replace(' (value)', ''));
    const loaded = (await import(path.join(root, source))) as Record<string, unknown>;
    expect(Object.keys(loaded).sort()).toEqual(declared);
  });

  it('keeps the main entry small: about forty names', () => {
    const main = actual.split('\n#')[0]!.split('\n').slice(1).filter(Boolean);
    // 51: openAppTable (#14), the tools' way to the app's storage, joined the 50 of #12-#18.
    expect(main.length).toBeLessThanOrEqual(51);
  });
});
