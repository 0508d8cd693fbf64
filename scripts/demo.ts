#!/usr/bin/env node
/**
 * `npm run demo -- "I never received my order #12345"`: runs the customer_support workflow on a
 * local host started in this process and prints it as the Agent Framework handoff article does.
 * `--interactive` answers the agents' questions in the terminal; `--help` lists the options.
 *
 * @example
 * ```sh
 * npm run demo -- "I never received my order #12345"
 * npm run demo -- --interactive "I want a refund"
 * ```
 */
import { DEMO_USAGE, DemoUsageError, parseDemoArgs, type DemoArgs } from './demo/demo-args';
import { EXIT, runDemo } from './demo/run-demo';

async function main(): Promise<void> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof DemoUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  if (args.help) {
    process.stdout.write(DEMO_USAGE);
    return;
  }
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted); // a second Ctrl-C: stop waiting
    process.stderr.write('\nInterrupted: stopping the local host...\n');
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  const code = await runDemo(
    args,
    {
      out: (line) => process.stdout.write(`${line}\n`),
      write: (text) => process.stdout.write(text),
      err: (line) => process.stderr.write(`${line}\n`),
    },
    interrupt,
  );
  process.off('SIGINT', onSigint);
  if (code === EXIT.interrupted) {
    // The host has stopped. The app's side of the abandoned event stream would keep polling
    // storage until its reads fail (the Functions library does not cancel a streamed body when the
    // client goes away), so do not wait for it.
    process.exit(code);
  }
  process.exitCode = code;
}

void main();
