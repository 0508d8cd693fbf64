/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The chat page's modules import each other as './name.js'; the page and the sample app import
  // the package by its public names. Under jest all of them must reach the TypeScript source.
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^durable-handoff$': '<rootDir>/src/index.ts',
    '^durable-handoff/client$': '<rootDir>/src/client/index.ts',
  },
  testTimeout: 60_000,
  // The reliability suite's figures table (prints only when reliability tests ran).
  reporters: ['default', '<rootDir>/tests/reliability/support/figures-reporter.cjs'],
};
