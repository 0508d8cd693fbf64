import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileFunction } from 'node:vm';
import ts from 'typescript';
import type { RunStatusResponse } from '../../src/client/api-schemas';
import * as durableHandoff from '../../src/index';
import { startAppHost, type AppHost } from '../support/app-host';
import { REFUND_ANSWER, REFUND_QUESTION, SHIPPING_ANSWER, articleSteps } from './support/dialogues';

const root = resolve(__dirname, '../..');
const SECTION = '## TypeScript client';

/** The first ```ts block after the section heading, exactly as written in README.md. */
function readmeSnippet(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.indexOf(SECTION);
  if (section < 0) throw new Error(`README.md has no section "${SECTION}"`);
  const open = readme.indexOf('```ts\n', section);
  const close = readme.indexOf('\n```', open + 6);
  if (open < 0 || close < 0) throw new Error(`README.md section "${SECTION}" has no \`\`\`ts block`);
  return readme.slice(open + '```ts\n'.length, close + 1);
}

function strictCompilerOptions(): ts.CompilerOptions {
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
    paths: { 'durable-handoff': ['src/index.ts'] },
    typeRoots: [join(root, 'node_modules/@types')],
  };
}

/**
 * Loads the snippet as a CommonJS module whose only import is this package. It gets this test's
 * `process` (jest gives each test file its own copy, whose env the snippet must read) and a console
 * whose lines go to `printed`.
 */
function loadSnippet(code: string, printed: string[]): Record<string, unknown> {
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
    throw new Error(`The README snippet imports ${specifier}; only 'durable-handoff' is available to it.`);
  };
  const console = { log: (line: string) => printed.push(line) };
  compileFunction(output, ['exports', 'require', 'module', 'process', 'console'])(
    module.exports,
    requireForSnippet,
    module,
    process,
    console,
  );
  return module.exports;
}

describe('the README TypeScript client snippet', () => {
  const code = readmeSnippet();
  let dir: string | undefined;
  let app: AppHost | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    delete process.env.HANDOFF_BASE_URL;
  });

  it('compiles in strict mode without a single diagnostic', () => {
    dir = mkdtempSync(join(tmpdir(), 'readme-client-'));
    const file = join(dir, 'readme-client.ts');
    writeFileSync(file, code);
    const program = ts.createProgram([file], strictCompilerOptions());
    const report = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => root,
      getNewLine: () => '\n',
    });
    expect(report).toBe('');
    expect(program.getSourceFile(file)?.statements.length).toBeGreaterThan(3);
  });

  it("prints the article's run and answers a refund dialogue against the app", async () => {
    app = await startAppHost({
      model: {
        steps: [
          ...articleSteps(),
          { agent: 'coordinator_agent', reply: { toolCalls: [{ name: 'handoff_to_refund_agent' }] } },
          { agent: 'refund_agent', reply: { text: REFUND_QUESTION } },
          { agent: 'refund_agent', reply: { text: REFUND_ANSWER } },
        ],
      },
    });
    process.env.HANDOFF_BASE_URL = app.host.baseUrl;
    const printed: string[] = [];
    const snippet = loadSnippet(code, printed);

    await (snippet.main as () => Promise<void>)();
    expect(printed).toEqual([
      'Running handoff workflow: Coordinator → Specialists',
      '⚡ Starting: input-conversation',
      '✓ Completed: input-conversation',
      '⚡ Starting: coordinator_agent',
      '✓ Completed: coordinator_agent',
      '⚡ Starting: handoff-coordinator',
      '✓ Completed: handoff-coordinator',
      '⚡ Starting: shipping_agent',
      '✓ Completed: shipping_agent',
      '⚡ Starting: handoff-coordinator',
      '✓ Completed: handoff-coordinator',
      '✅ Workflow completed!',
      '[user]: I never received my order #12345',
      `[shipping_agent]: ${SHIPPING_ANSWER}`,
    ]);

    const refund = snippet.refundConversation as (answers: string[]) => Promise<RunStatusResponse>;
    const status = await refund(['Order #12345']);
    expect(status).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition' });
    expect(status.conversation.map((m) => `${m.author}: ${m.text}`)).toEqual([
      'user: I want a refund',
      `refund_agent: ${REFUND_QUESTION}`,
      'user: Order #12345',
      `refund_agent: ${REFUND_ANSWER}`,
    ]);
    app.model.assertComplete();
  });
});
