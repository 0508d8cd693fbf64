/**
 * The demo's command line: `[message...] [--interactive] [--workflow NAME] [--verbose] [--help]`.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { WorkflowInputError } from '../../src/core/errors';
import { formatIssues } from '../../src/core/zod-issues';

/** The article's customer issue, used when no message is given. */
export const DEFAULT_DEMO_MESSAGE = 'I never received my order #12345';
/** The workflow the demo runs unless `--workflow` names another. */
export const DEFAULT_DEMO_WORKFLOW = 'customer_support';

/** The parsed command line. */
export interface DemoArgs {
  help: boolean;
  message: string;
  workflow: string;
  /** Human in the loop: answer the agents' questions in the terminal. Otherwise autonomous. */
  interactive: boolean;
  verbose: boolean;
}

/** The text `--help` prints. */
export const DEMO_USAGE = `Usage: npm run demo -- [options] [message]

Runs a handoff workflow on a local Functions host started in this process (memory storage, a free
port) and prints the run as the Agent Framework handoff article's console output does.

  message              the customer's first message (default: "${DEFAULT_DEMO_MESSAGE}")
  -i, --interactive    human in the loop: answer the agents' questions in the terminal, and
                       approve (y) or reject (n, with a reason) the tool calls that need it
                       (an empty line or end of input ends the run)
  -w, --workflow NAME  the workflow to run (default: ${DEFAULT_DEMO_WORKFLOW})
  -v, --verbose        print the host's and the app's log lines (stderr)
  -h, --help           print this text

The offline demo model answers unless a model is configured (AZURE_OPENAI_* or OPENAI_* settings,
in the environment or in local.settings.json); the app's first line says which.
Exit codes: 0 completed, 1 failed or terminated, 2 bad usage, 130 interrupted (Ctrl-C).
`;

/** A command line the demo cannot run; the message names the problem. Exit code 2. */
export class DemoUsageError extends WorkflowInputError {
  constructor(message: string) {
    super(`${message}\nRun with --help for the options.`);
    this.name = 'DemoUsageError';
  }
}

const ArgsSchema = z.object({
  workflow: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'the workflow name must be 1 to 100 letters, digits, "-" or "_"'),
  message: z
    .string()
    .refine((text) => text.trim() !== '', 'the message must not be empty')
    .refine((text) => text.length <= 8000, 'the message must be at most 8000 characters'),
});

/** Parses the demo's arguments (without `node` and the script). */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        interactive: { type: 'boolean', short: 'i' },
        workflow: { type: 'string', short: 'w' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new DemoUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const checked = ArgsSchema.safeParse({
    workflow: values.workflow ?? DEFAULT_DEMO_WORKFLOW,
    message: positionals.length === 0 ? DEFAULT_DEMO_MESSAGE : positionals.join(' '),
  });
  if (!checked.success) throw new DemoUsageError(formatIssues('Invalid arguments', checked.error));
  return {
    help: values.help ?? false,
    interactive: values.interactive ?? false,
    verbose: values.verbose ?? false,
    ...checked.data,
  };
}
