/**
 * A test Application Insights ingestion endpoint: what `POST <IngestionEndpoint>/v2.1/track` does
 * with the envelopes `@azure/monitor-opentelemetry` sends (a JSON array, or JSON lines, gzipped or
 * not), kept as received and acknowledged as accepted. Point a connection string's
 * `IngestionEndpoint` at `endpoint` to test the real export path without Azure.
 *
 * The exporter sends over HTTPS only (it rewrites an `http://` endpoint to `https://`), so the
 * receiver serves HTTPS with a certificate for 127.0.0.1 made by `openssl` for this run: a process
 * that sends trusts it with `NODE_EXTRA_CA_CERTS=<certificatePath>` (read at its start).
 */
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { makeSelfSignedCertificate } from './self-signed-certificate';

/** One telemetry item as sent: `Microsoft.ApplicationInsights.Request`, `.RemoteDependency`, `.Metric`... */
export interface TrackEnvelope {
  name: string;
  iKey: string;
  tags: Record<string, string>;
  data: { baseType: string; baseData: Record<string, unknown> & { properties?: Record<string, string> } };
}

/** A running receiver. */
export interface AppInsightsReceiver {
  /** `https://127.0.0.1:<port>`: the connection string's `IngestionEndpoint`. */
  endpoint: string;
  envelopes: TrackEnvelope[];
  /** The receiver's certificate (PEM), for the sender's `NODE_EXTRA_CA_CERTS`. */
  certificatePath: string;
  /** The `Content-Encoding` of each track request (`gzip` or `identity`). */
  encodings: Set<string>;
  close(): Promise<void>;
}

function envelopesOf(text: string): TrackEnvelope[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as TrackEnvelope[];
  return trimmed.split('\n').map((line) => JSON.parse(line) as TrackEnvelope);
}

/** Starts a receiver on a free port. */
export async function startAppInsightsReceiver(): Promise<AppInsightsReceiver> {
  const envelopes: TrackEnvelope[] = [];
  const encodings = new Set<string>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingestion-tls-'));
  const files = makeSelfSignedCertificate(dir);
  const server = https.createServer(
    { key: fs.readFileSync(files.key), cert: fs.readFileSync(files.cert) },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method !== 'POST' || !request.url?.endsWith('/track')) {
          response.writeHead(404).end();
          return;
        }
        const encoding = String(request.headers['content-encoding'] ?? 'identity');
        encodings.add(encoding);
        const body = Buffer.concat(chunks);
        const received = envelopesOf((encoding === 'gzip' ? zlib.gunzipSync(body) : body).toString('utf8'));
        envelopes.push(...received);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ itemsReceived: received.length, itemsAccepted: received.length, errors: [] }),
        );
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    envelopes,
    certificatePath: files.cert,
    encodings,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
