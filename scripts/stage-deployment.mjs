// Stages the deployment package of the sample Functions app in .azure-package/ (azd's `dist` for the
// `api` service, and the folder the manual path zips): the app's host.json and compiled code
// (sample/dist), the library packed as its users install it (`npm pack`: durable-handoff-<v>.tgz,
// which holds the compiled library and the chat page), and a package.json that depends on that
// tarball and nothing else, with a lock file. The remote build on Azure then installs those
// dependencies and has nothing to compile: the build happened here (`npm run build`), where the
// sources, the local host and the tests live.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const app = path.join(root, 'sample');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = path.resolve(root, outArg === -1 ? '.azure-package' : args[outArg + 1]);

for (const built of ['dist/src/index.js', 'dist/web/index.html', 'sample/dist/functions/app.js']) {
  if (!existsSync(path.join(root, built))) {
    console.error(`stage-deployment: ${built} is missing. Run \`npm run build\` first.`);
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(path.join(app, 'host.json'), path.join(out, 'host.json'));
cpSync(path.join(app, 'dist'), path.join(out, 'dist'), {
  recursive: true,
  // Declarations, source maps (for library users and debuggers) and tsc's incremental info are not
  // for the running app.
  filter: (file) => !/\.(d\.ts|js\.map|d\.ts\.map|tsbuildinfo)$/.test(file),
});

// The library as a user installs it: the same files `npm publish` would ship.
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
)[0].filename;

const library = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const sample = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8'));
// No scripts: a remote build must not try to compile sources that are not shipped. No dev or
// optional dependencies: the platform provides the Functions host (Core Tools is optional locally).
const runtimePkg = {
  name: sample.name,
  version: sample.version,
  description: sample.description,
  license: library.license,
  private: true,
  main: sample.main,
  engines: library.engines,
  dependencies: { [library.name]: `file:${packed}` },
};
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(runtimePkg, null, 2)}\n`);
cpSync(path.join(root, 'package-lock.json'), path.join(out, 'package-lock.json'));
// Rewrites the copied lock for the runtime package (the library's dependencies stay at the versions
// locked here).
execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
  cwd: out,
  stdio: ['ignore', 'ignore', 'inherit'],
});
console.log(`stage-deployment: the deployment package is in ${path.relative(root, out) || '.'}`);
