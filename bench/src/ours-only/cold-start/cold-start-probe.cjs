/**
 * The cold-start probe: run by plain `node` (no tsx, whose loader hooks would slow every `require`
 * of the app) in a fresh process. It loads the local host's worker (the part of a Functions host
 * that exists before any app code runs), then times `AppWorker.start` on the app: reading
 * package.json, requiring every entry file of `main` (which requires every function module and
 * their packages), running the appStart hooks, and getting the programming model's capabilities.
 *
 * Prints one JSON line: `{ "startMs": number, "functions": number, "imports": [[request, ms], ...] }`,
 * where `imports` are the packages the app's own modules require, with the time of their first
 * `require` (inclusive of what they load in turn), in load order.
 *
 * Usage: node cold-start-probe.cjs <appDir>
 */
'use strict';
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const appDir = path.resolve(process.argv[2] ?? '.');
// The project: the library (dist/src) and the local host (dist/devhost); the app (sample/) uses both.
const projectDir = path.resolve(__dirname, '../../../..');
const appCode = [path.join(appDir, 'dist') + path.sep, path.join(projectDir, 'dist', 'src') + path.sep];
const { AppWorker } = require(path.join(projectDir, 'dist', 'devhost', 'worker', 'app-worker.js'));

/** @type {Array<[string, number]>} */
const imports = [];
const seen = new Set();
const originalLoad = Module._load;
Module._load = function timedLoad(request, parent, isMain) {
  const fromApp = appCode.some((folder) => parent?.filename?.startsWith(folder) === true);
  const isPackage = !request.startsWith('.') && !request.startsWith('node:') && !path.isAbsolute(request);
  if (!fromApp || !isPackage || seen.has(request)) return originalLoad.call(this, request, parent, isMain);
  seen.add(request);
  const start = performance.now();
  try {
    return originalLoad.call(this, request, parent, isMain);
  } finally {
    imports.push([request, performance.now() - start]);
  }
};

const start = performance.now();
AppWorker.start({ appDir, log: () => undefined }).then(
  async (worker) => {
    const startMs = performance.now() - start;
    const functions = worker.list().length;
    await worker.terminate();
    process.stdout.write(`${JSON.stringify({ startMs, functions, imports })}\n`);
  },
  (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
