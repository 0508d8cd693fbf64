// ESLint flat config. The seams of the architecture are enforced here:
// - src/core is the pure workflow model: no I/O, no Azure, no OpenAI, no clocks.
// - orchestrator code is deterministic: no clocks, randomness, env or timers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

const hostImports = {
  group: ['**/devhost', '**/devhost/**'],
  message: 'The library does not depend on the local host: shared code goes in azure-tables/.',
};
const libraryImports = {
  group: ['**/src', '**/src/**'],
  message: "The local host knows nothing of the library's source: shared code goes in azure-tables/.",
};

const impureModules = [
  { group: ['openai', 'openai/*'], message: 'The pure core must not import model clients.' },
  {
    group: ['@azure/*', 'durable-functions', 'durable-functions/*'],
    message: 'The pure core must not import Azure packages.',
  },
  {
    group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'crypto', 'os', 'child_process', 'timers'],
    message: 'The pure core does no I/O.',
  },
  {
    group: ['../model/*', '../durable/*', '../functions/*', '../client/*', '../testing/*', '../workflows/*'],
    message: 'The pure core imports nothing outside src/core.',
  },
  hostImports,
];

const nondeterministicGlobals = [
  { object: 'Date', property: 'now', message: 'Not replay-safe: use context.df.currentUtcDateTime.' },
  { object: 'Math', property: 'random', message: 'Not replay-safe: use context.df.newGuid or an activity.' },
  {
    object: 'process',
    property: 'env',
    message: 'Read configuration in activities or at the edge, never here.',
  },
  { object: 'crypto', property: 'randomUUID', message: 'Not replay-safe: use context.df.newGuid.' },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'sample/dist/**',
      'node_modules/**',
      'coverage/**',
      'bench/**',
      '.devhost/**',
      'test-output/**',
      'web/dist/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: impureModules }],
      'no-restricted-properties': ['error', ...nondeterministicGlobals],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'fetch', 'require'],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
          message: 'The pure core has no clock.',
        },
      ],
    },
  },
  {
    files: ['src/durable/orchestrator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['openai', 'openai/*', '@azure/data-tables', '@azure/storage-blob', '@azure/identity'],
              message: 'Orchestrator code does no I/O.',
            },
            {
              group: [
                'node:*',
                'fs',
                'path',
                'http',
                'https',
                'net',
                'crypto',
                'os',
                'child_process',
                'timers',
              ],
              message: 'Orchestrator code does no I/O.',
            },
            {
              group: ['../../model/*', '../../model', '../activities/*'],
              message: 'Orchestrators call activities through their definitions, never model code directly.',
            },
            hostImports,
          ],
        },
      ],
      'no-restricted-properties': ['error', ...nondeterministicGlobals],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'fetch'],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
          message: 'Not replay-safe: use context.df.currentUtcDateTime.',
        },
        { selector: 'AwaitExpression', message: 'Orchestrators yield durable tasks; they never await.' },
      ],
    },
  },
  {
    // The library and the local host are shipped together, and neither depends on the other: the host runs any
    // app, the library runs on any host. What both need lives in azure-tables/.
    // (src/core and the orchestrator, which restrict imports further, repeat this rule in theirs.)
    files: ['src/**/*.ts'],
    ignores: ['src/core/**', 'src/durable/orchestrator/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [hostImports] }] },
  },
  {
    files: ['devhost/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [libraryImports] }] },
  },
  {
    files: ['azure-tables/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [libraryImports, hostImports] }] },
  },
  {
    // The chat page: browser code (bundled with the client by esbuild), showing text from the API.
    files: ['web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Set textContent: the page never parses text as HTML.' },
        { property: 'outerHTML', message: 'Set textContent: the page never parses text as HTML.' },
        { property: 'insertAdjacentHTML', message: 'Append elements: the page never parses text as HTML.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../src/*', '../../src/*'],
              message: "The page uses the client as a user would: import from 'durable-handoff/client'.",
            },
          ],
        },
      ],
    },
  },
  {
    // The sample app uses the library as an app that installed it does: its public entries only.
    files: ['sample/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../*', 'durable-handoff/*', '!durable-handoff/client', '!durable-handoff/testing'],
              message:
                "The sample app imports the library from 'durable-handoff' (or /client, /testing) only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
