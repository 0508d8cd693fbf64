/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made with openssl, for the HTTPS
 * servers of tests: Azurite checks OAuth tokens only over HTTPS, the Application Insights ingestion
 * is HTTPS only. The app trusts it through NODE_EXTRA_CA_CERTS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Certificate and key files (PEM). */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/** Why no certificate can be made here, or undefined when openssl is installed. */
export function opensslMissing(): string | undefined {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0
    ? undefined
    : 'openssl is not installed';
}

/** Writes a one-day certificate and its key into `dir`. */
export function makeSelfSignedCertificate(dir: string): CertificateFiles {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  if (!fs.existsSync(cert) || !fs.existsSync(key)) throw new Error('openssl made no certificate');
  return { cert, key };
}
