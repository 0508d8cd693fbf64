#!/usr/bin/env node
/**
 * The `durable-handoff` command that ships with the package (package.json `bin`):
 *
 *   npx durable-handoff init [folder]   writes a minimal Functions app that starts
 *   npx durable-handoff host [options]  runs the app in the current folder on the local host
 *
 * `host` takes the local host's options (`--app`, `--port`, `--storage`...; see `host --help`).
 */
import path from 'node:path';
import { scaffoldApp } from './scaffold-app';

export const COMMAND_USAGE = `Usage: durable-handoff <command> [options]

Commands:
  init [folder]      write a minimal Functions app (host.json, local.settings.json, one workflow,
                     its registration) into the folder (default: the current one); existing files are kept
  host [options]     run the app in the current folder on the local Functions host
                     (durable-handoff host --help lists its options)
  help               print this text
`;

function runInit(args: readonly string[]): void {
  const [folder, ...extra] = args;
  if (extra.length > 0 || folder?.startsWith('-')) {
    process.stderr.write(`init takes one folder, got: ${args.join(' ')}\n\n${COMMAND_USAGE}`);
    process.exit(2);
  }
  const appDir = path.resolve(folder ?? '.');
  const result = scaffoldApp(appDir);
  for (const file of result.written) process.stdout.write(`  wrote ${file}\n`);
  for (const file of result.kept) process.stdout.write(`  kept  ${file} (it exists)\n`);
  const cd = path.relative(process.cwd(), appDir);
  process.stdout.write(
    [
      '',
      `The app is in ${appDir}. Next:`,
      ...(cd === '' ? [] : [`  cd ${cd}`]),
      ...(result.missingPackages.includes('durable-handoff')
        ? [
            '  npm install <the durable-handoff tarball or git URL>   # see the README, "Use it in your own app"',
          ]
        : []),
      ...(result.missingPackages.includes('azurite')
        ? ['  npm install --save-dev azurite   # the local host keeps durable state in it']
        : []),
      '  npx durable-handoff host        # then open http://localhost:7071/ (the chat page)',
      '',
      'Without a model configured in local.settings.json the app answers with the offline demo model.',
      '',
    ].join('\n'),
  );
}

function main(argv: readonly string[]): void {
  const [command, ...rest] = argv;
  switch (command) {
    case 'init':
      runInit(rest);
      return;
    case 'host':
      // The local host's own command reads process.argv: hand it the arguments after `host`.
      process.argv.splice(2, 1);
      void import('../cli');
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(COMMAND_USAGE);
      return;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${COMMAND_USAGE}`);
      process.exit(2);
  }
}

main(process.argv.slice(2));
