/**
 * A preload (`node --require`) that times the stages of durable-handoff's runs: it wraps functions
 * of the compiled app and local host (dist/) as they are first loaded, and prints, at exit, how
 * often each ran and its inclusive wall time (from the call until its promise settles), per run.
 * With one run at a time and a CPU-bound process, wall time is close to CPU time; stages nest
 * (an activity invocation includes its run store calls and its model call).
 *
 * It depends on the file layout and export names of dist/ (it is a diagnostic, not part of the
 * bench); a stage whose module or export is missing is reported as not found.
 *
 * Usage (from bench/): STAGE_TIMES_RUNS=<runs measured + warm-up> node --require ./src/tools/stage-times.cjs \
 *   --import tsx src/tools/profile-ours.ts --runs 150 --warmup 0
 */
'use strict';
const Module = require('node:module');
const { performance } = require('node:perf_hooks');

/** @type {Map<string, { count: number, ms: number }>} */
const totals = new Map();
const found = new Set();

function record(key, ms) {
  const entry = totals.get(key) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += ms;
  totals.set(key, entry);
}

/** Wraps `fn` so each call is timed under `keyOf(...args)` until its result (or promise) settles. */
function timed(fn, keyOf) {
  return function timedCall(...args) {
    const start = performance.now();
    const key = keyOf.apply(this, args);
    let result;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      record(key, performance.now() - start);
      throw error;
    }
    if (result && typeof result.then === 'function') {
      return result.finally(() => record(key, performance.now() - start));
    }
    record(key, performance.now() - start);
    return result;
  };
}

function wrapMethods(object, label, names) {
  for (const name of names) {
    if (typeof object[name] === 'function') object[name] = timed(object[name], () => `${label}.${name}`);
  }
  return object;
}

const STORE_METHODS = [
  'getInstance',
  'readHistory',
  'readInbox',
  'addMessage',
  'commitEpisode',
  'createInstance',
];

/** Module path suffix -> what to wrap in its exports. */
const stages = {
  '/dist/devhost/worker/invoke-function.js': (exports) => {
    exports.invokeFunction = timed(exports.invokeFunction, (_deps, fn) => `invoke ${fn.name}`);
  },
  '/dist/devhost/durable/replay/shim/replay-shim.js': (exports) => {
    exports.replayShim = timed(exports.replayShim, () => 'engine: replayShim (extension side of an episode)');
  },
  '/dist/devhost/durable/engine/episode-runner.js': (exports) => {
    const proto = exports.EpisodeRunner.prototype;
    proto.runEpisode = timed(proto.runEpisode, () => 'engine: runEpisode (whole episode)');
  },
  '/dist/devhost/durable/engine/activity-runner.js': (exports) => {
    exports.runActivity = timed(
      exports.runActivity,
      (_deps, _id, _exec, task) => `engine: runActivity ${task.name}`,
    );
  },
  '/dist/devhost/durable/store/memory-store.js': (exports) => {
    const create = exports.createMemoryStore;
    exports.createMemoryStore = (...args) =>
      wrapMethods(create(...args), 'engine store (memory)', STORE_METHODS);
  },
  '/dist/devhost/durable/store/table-store.js': (exports) => {
    const create = exports.createTableStore;
    exports.createTableStore = async (...args) =>
      wrapMethods(await create(...args), 'engine store (table)', STORE_METHODS);
  },
  '/dist/src/durable/store/table-run-store.js': (exports) => {
    wrapMethods(exports.TableRunStore.prototype, 'run store', [
      'saveEvents',
      'readEvents',
      'saveMessages',
      'readMessages',
      'markRepliesHandled',
    ]);
  },
  '/dist/src/model/openai-chat-model.js': (exports) => {
    wrapMethods(exports.OpenAIChatModel.prototype, 'model', ['generate']);
  },
};

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const exports = originalLoad.call(this, request, parent, isMain);
  let filename;
  try {
    filename = Module._resolveFilename(request, parent, isMain);
  } catch {
    return exports;
  }
  for (const [suffix, wrap] of Object.entries(stages)) {
    if (filename.endsWith(suffix) && !found.has(filename)) {
      found.add(filename);
      wrap(exports);
    }
  }
  return exports;
};

process.on('exit', () => {
  const runs = Number(process.env.STAGE_TIMES_RUNS ?? '1');
  const lines = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
  process.stderr.write(`\nstage times per run (${runs} runs): calls/run, ms/run, ms/call\n`);
  for (const [key, { count, ms }] of lines) {
    process.stderr.write(
      `${(count / runs).toFixed(2).padStart(7)} ${(ms / runs).toFixed(3).padStart(9)} ${(ms / count).toFixed(3).padStart(9)}  ${key}\n`,
    );
  }
  const missing = Object.keys(stages).filter((suffix) => ![...found].some((file) => file.endsWith(suffix)));
  if (missing.length > 0) process.stderr.write(`not found: ${missing.join(', ')}\n`);
});
