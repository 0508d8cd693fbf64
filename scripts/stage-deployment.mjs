// Stages the deployment package of the Functions app in .azure-package/ (azd's `dist` for the `api`
// service, and the folder the manual path zips): host.json, the compiled app (dist/src) and chat
// page (dist/web), and a package.json that lists only the runtime dependencies, with its lock file.
// The remote build on Azure then installs those dependencies and has nothing to compile: the build
// happened here (`npm run build`), where the sources, the local host and the tests live.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = path.resolve(root, outArg === -1 ? '.azure-package' : args[outArg + 1]);

for (const built of ['dist/src/index.js', 'dist/src/functions/app.js', 'dist/web/index.html']) {
  if (!existsSync(path.join(root, built))) {
    console.error(`stage-deployment: ${built} is missing. Run \`npm run build\` first.`);
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(path.join(root, 'host.json'), path.join(out, 'host.json'));
cpSync(path.join(root, 'dist', 'src'), path.join(out, 'dist', 'src'), {
  recursive: true,
  // Declarations and source maps are for library users and debuggers, not for the running app.
  filter: (file) => !/\.(d\.ts|js\.map|d\.ts\.map)$/.test(file),
});
cpSync(path.join(root, 'dist', 'web'), path.join(out, 'dist', 'web'), { recursive: true });

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// No scripts: a remote build must not try to compile sources that are not shipped. No dev or
// optional dependencies: the platform provides the Functions host (Core Tools is optional locally).
const runtimePkg = {
  name: pkg.name,
  version: pkg.version,
  description: pkg.description,
  license: pkg.license,
  private: true,
  main: pkg.main,
  engines: pkg.engines,
  dependencies: pkg.dependencies,
};
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(runtimePkg, null, 2)}\n`);
cpSync(path.join(root, 'package-lock.json'), path.join(out, 'package-lock.json'));
// Prunes the copied lock to the runtime dependencies (the versions stay the ones locked here).
execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
  cwd: out,
  stdio: ['ignore', 'ignore', 'inherit'],
});
console.log(`stage-deployment: the deployment package is in ${path.relative(root, out) || '.'}`);
