import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../core/errors';

/** The folder, under the app's root, that holds what durable-handoff keeps for local development. */
export const DEVELOPMENT_FOLDER = '.durable-handoff';
const SECRET_FILE = 'token-secret';
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43,}$/;

/**
 * The app's root: the Functions host's script root when it says so (`AzureWebJobsScriptRoot`; the
 * local host sets it), else the working directory (`func start` runs the worker there).
 */
function appRoot(env: Readonly<Record<string, string | undefined>>): string {
  return env.AzureWebJobsScriptRoot || process.cwd();
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigurationError(
      'DURABLE_HANDOFF_TOKEN_SECRET',
      `Cannot read the development token secret ${file}: ${(error as Error).message}. ` +
        'Fix its permissions, or set DURABLE_HANDOFF_TOKEN_SECRET.',
    );
  }
  const secret = text.trim();
  if (!SECRET_PATTERN.test(secret)) {
    throw new ConfigurationError(
      'DURABLE_HANDOFF_TOKEN_SECRET',
      `The development token secret ${file} is not a generated secret. Delete the file to get a new one ` +
        '(tokens of runs started before then stop working), or set DURABLE_HANDOFF_TOKEN_SECRET.',
    );
  }
  return secret;
}

/**
 * Creates the secret file without ever exposing a half-written one: the content goes to a private
 * temporary file that is then hard-linked into place, which fails if another process (a second
 * local host on the same app, a parallel test) got there first; then everybody reads the winner.
 */
function createSecret(file: string): void {
  const folder = path.dirname(file);
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  // Keep the folder out of version control even in an app without a matching .gitignore line.
  const ignore = path.join(folder, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n', { mode: 0o600 });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigurationError(
        'DURABLE_HANDOFF_TOKEN_SECRET',
        `Cannot create the development token secret ${file}: ${(error as Error).message}. ` +
          'Make the app folder writable, or set DURABLE_HANDOFF_TOKEN_SECRET.',
      );
    }
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * The local development token secret: 32 random bytes generated once per app folder and kept in
 * `<app root>/.durable-handoff/token-secret` (mode 0600), like the local host keeps its function key.
 */
export function developmentTokenSecret(env: Readonly<Record<string, string | undefined>>): {
  secret: string;
  file: string;
} {
  const file = path.join(appRoot(env), DEVELOPMENT_FOLDER, SECRET_FILE);
  let secret = readSecret(file);
  if (secret === undefined) {
    createSecret(file);
    secret = readSecret(file);
  }
  if (secret === undefined) {
    throw new ConfigurationError(
      'DURABLE_HANDOFF_TOKEN_SECRET',
      `The development token secret ${file} disappeared while it was being created. Start again, or set DURABLE_HANDOFF_TOKEN_SECRET.`,
    );
  }
  return { secret, file };
}
