import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileFunction } from 'node:vm';
import ts from 'typescript';
import * as durableHandoff from '../../src/index';
import type { ConversationMessage } from '../../src/core/messages';
import type { HandoffWorkflow } from '../../src/core/workflow';

const root = resolve(__dirname, '../..');
const SECTION = '## Port of the Agent Framework example';

/** The first ```ts block after the section heading, exactly as written in README.md. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.indexOf(SECTION);
  if (section < 0) throw new Error(`README.md has no section "${SECTION}"`);
  const open = readme.indexOf('```ts\n', section);
  const close = readme.indexOf('\n```', open + 6);
  if (open < 0 || close < 0) throw new Error(`README.md section "${SECTION}" has no \`\`\`ts block`);
  return readme.slice(open + '```ts\n'.length, close + 1);
}

function strictCompilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
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

describe('the README port of the Agent Framework example', () => {
  const code = readmeExample();
  let dir: string | undefined;

  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('compiles in strict mode without a single diagnostic', () => {
    dir = mkdtempSync(join(tmpdir(), 'readme-example-'));
    const file = join(dir, 'readme-example.ts');
    writeFileSync(file, code);
    const options = strictCompilerOptions();
    expect(options.strict).toBe(true);
    const program = ts.createProgram([file], options);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const report = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => root,
      getNewLine: () => '\n',
    });
    expect(report).toBe('');
    // Guard against a vacuous pass: the example itself was part of the program.
    expect(program.getSourceFile(file)?.statements.length).toBeGreaterThan(5);
  });

  it("runs and builds the article's workflow: four participants, the coordinator first, a mesh of handoffs", () => {
    const output = ts.transpileModule(code, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
    const module = { exports: {} as Record<string, unknown> };
    const requireForExample = (specifier: string): unknown => {
      if (specifier === 'durable-handoff') return durableHandoff;
      throw new Error(`The README example imports ${specifier}; only 'durable-handoff' is available to it.`);
    };
    compileFunction(output, ['exports', 'require', 'module'])(module.exports, requireForExample, module);

    const workflow = module.exports.workflow as HandoffWorkflow;
    expect(workflow.name).toBe('customer_support');
    expect(workflow.startAgent).toBe('coordinator_agent');
    expect(workflow.interactionMode).toBe('autonomous');
    expect(workflow.agentNames).toEqual([
      'coordinator_agent',
      'refund_agent',
      'shipping_agent',
      'technical_agent',
    ]);
    expect(workflow.handoffTargets('coordinator_agent').map((t) => t.toolName)).toEqual([
      'handoff_to_refund_agent',
      'handoff_to_shipping_agent',
      'handoff_to_technical_agent',
    ]);
    expect(workflow.edges).toHaveLength(12);

    const plain = module.exports.shouldTerminate as (c: ConversationMessage[]) => boolean;
    const helpers = module.exports.shouldTerminateWithHelpers as (c: ConversationMessage[]) => boolean;
    const conversations: ConversationMessage[][] = [
      [{ role: 'user', authorName: 'user', text: 'I never received my order #12345' }],
      [
        { role: 'user', authorName: 'user', text: 'I never received my order #12345' },
        {
          role: 'assistant',
          authorName: 'shipping_agent',
          text: 'It will be delivered within 2 business days.',
        },
      ],
      Array.from({ length: 6 }, (_, i) => ({
        role: 'user' as const,
        authorName: 'user',
        text: `message ${i}`,
      })),
    ];
    expect(conversations.map(plain)).toEqual([false, true, true]);
    expect(conversations.map(helpers)).toEqual(conversations.map(plain));
    expect(conversations.map((c) => workflow.shouldTerminate(c))).toEqual([false, true, true]);
  });
});
