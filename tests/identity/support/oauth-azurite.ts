/**
 * Azurite's Table service over HTTPS with OAuth checking on (`--oauth basic`): requests must carry
 * a bearer token with a storage audience, a known issuer and a valid lifetime. In-memory; stopped by
 * `stop()`.
 */
import { spawn } from 'node:child_process';
import { freePorts, waitForPorts } from '../../../devhost/azurite/ports';
import type { CertificateFiles } from '../../support/self-signed-certificate';

/** A running Azurite Table service. */
export interface OAuthAzurite {
  /** `https://127.0.0.1:<port>/devstoreaccount1`: the table service URI of the development account. */
  tableServiceUri: string;
  stop(): Promise<void>;
}

/** Starts Azurite's Table service with HTTPS and OAuth checking. */
export async function startOAuthAzurite(
  certificate: CertificateFiles,
  location: string,
): Promise<OAuthAzurite> {
  const [port] = await freePorts(1);
  const child = spawn(
    process.execPath,
    [
      require.resolve('azurite/dist/src/table/main.js'),
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(port),
      '--inMemoryPersistence',
      '--oauth',
      'basic',
      '--cert',
      certificate.cert,
      '--key',
      certificate.key,
      '--silent',
    ],
    // In memory: nothing is written, but Azurite's working folder is the test's own all the same.
    { cwd: location, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPorts(
      [port!],
      30_000,
      () => (child.exitCode !== null ? `Azurite exited (${child.exitCode}): ${stderr.trim()}` : undefined),
      (reason) => new Error(`Azurite (OAuth) did not start: ${reason}`),
    );
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    tableServiceUri: `https://127.0.0.1:${port}/devstoreaccount1`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
