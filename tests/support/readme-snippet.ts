/**
 * The README's TypeScript blocks, exactly as written, checked the way a user meets them: compiled in
 * strict mode against the package, and run as a CommonJS module whose only import is the package.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileFunction } from 'node:vm';
import ts from 'typescript';
import * as durableHandoff from '../../src/index';
import * as durableHandoffClient from '../../src/client/index';

const root = resolve(__dirname, '../..');

/** The first ```ts block after the README section heading `section`. */
export function readmeTsBlock(section: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(section);
  if (at < 0) throw new Error(`README.md has no section "${section}"`);
  const open = readme.indexOf('```ts\n', at);
  const close = readme.indexOf('\n```', open + 6);
  if (open < 0 || close < 0) throw new Error(`README.md section "${section}" has no \`\`\`ts block`);
  return readme.slice(open + '```ts\n'.length, close + 1);
}

/** The project's strict compiler options, with `durable-handoff` resolving to the package source. */
export function strictCompilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(root, 'tsconfig.base.json'), (path) => ts.sys.readFile(path));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    // The README imports the published name; here it resolves to the package source.
    baseUrl: root,
    paths: {
      'durable-handoff': ['src/index.ts'],
      'durable-handoff/client': ['src/client/index.ts'],
    },
    typeRoots: [join(root, 'node_modules/@types')],
  };
}

/** Compiles `code` as a file of its own; returns the formatted diagnostics and its statement count. */
export function compileStrictly(
  code: string,
  options: ts.CompilerOptions = strictCompilerOptions(),
): { report: string; statements: number } {
  const dir = mkdtempSync(join(tmpdir(), 'readme-snippet-'));
  try {
    const file = join(dir, 'snippet.ts');
    writeFileSync(file, code);
    const program = ts.createProgram([file], options);
    const report = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => root,
      getNewLine: () => '\n',
    });
    return { report, statements: program.getSourceFile(file)?.statements.length ?? 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `code` as a CommonJS module whose only import is this package, with `globals` as extra free
 * variables (e.g. the test's `process`, a capturing `console`); returns its exports.
 */
export function loadAsModule(code: string, globals: Record<string, unknown> = {}): Record<string, unknown> {
  const output = ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const requireForSnippet = (specifier: string): unknown => {
    if (specifier === 'durable-handoff') return durableHandoff;
    if (specifier === 'durable-handoff/client') return durableHandoffClient;
    throw new Error(
      `The README snippet imports ${specifier}; only 'durable-handoff' and 'durable-handoff/client' are available to it.`,
    );
  };
  const names = Object.keys(globals);
  compileFunction(output, ['exports', 'require', 'module', ...names])(
    module.exports,
    requireForSnippet,
    module,
    ...names.map((name) => globals[name]),
  );
  return module.exports;
}
