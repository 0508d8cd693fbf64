import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { captureHttpServers, closeServers } from '../../../devhost/worker/owned-servers';
import { FrontDoorServer } from '../../../devhost/http/front-door-server';

// More than Node's default queue holds (511 + 1), and few enough for a process limit of 1024 open
// files: the server accepts the whole burst at once when its loop is free again.
const BURST = 600;

/**
 * Opens `n` connections to `port` at once and prints how many completed their handshake, as soon
 * as all did or after 5 s. A connection the server's full accept queue refuses does not complete:
 * the kernel drops its SYN, and the client retries only after 1 s, 3 s, ...
 */
const BURST_CLIENT = `
const net = require('node:net');
const [port, n] = process.argv.slice(1).map(Number);
const sockets = [];
let connected = 0;
const report = () => {
  console.log(JSON.stringify({ connected }));
  for (const socket of sockets) socket.destroy();
  process.exit(0);
};
const deadline = setTimeout(report, 5000);
for (let i = 0; i < n; i += 1) {
  const socket = net.connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {});
  socket.on('connect', () => {
    connected += 1;
    if (connected === n) {
      clearTimeout(deadline);
      report();
    }
  });
}
`;

/**
 * How many of a burst of {@link BURST} connections to `port` complete their handshake while this
 * process's event loop is held (spawnSync blocks it), so that nothing is accepted: the kernel's
 * accept queue alone holds the burst, as on a stalled loop.
 */
function burstWhileBusy(port: number): unknown {
  const client = spawnSync(process.execPath, ['-e', BURST_CLIENT, String(port), String(BURST)], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(client.stderr).toBe('');
  return JSON.parse(client.stdout) as unknown;
}

describe("the local host's listeners", () => {
  it('queue a burst of 600 new connections while the event loop is busy: the front door and the durable RPC listener', async () => {
    const server = await FrontDoorServer.listen(0);
    try {
      expect(burstWhileBusy(server.port)).toEqual({ connected: BURST });
    } finally {
      await server.close();
    }
  });
});

describe('the HTTP servers an app starts in the worker', () => {
  it('queue a burst of 600 new connections while the event loop is busy: the streaming proxy of @azure/functions, listening as the library listens', async () => {
    // As the library starts its streaming proxy: createServer, then listen(callback) on port 0.
    const { value: port, servers } = await captureHttpServers(
      () =>
        new Promise<number>((resolve) => {
          const server = http.createServer((_req, res) => res.end());
          server.listen(() => resolve((server.address() as AddressInfo).port));
        }),
    );
    try {
      expect(burstWhileBusy(port)).toEqual({ connected: BURST });
    } finally {
      await closeServers(servers);
    }
  });

  it('still listen on the port the library names', async () => {
    const probe = http.createServer();
    const free = await new Promise<number>((resolve) =>
      probe.listen(0, () => resolve((probe.address() as AddressInfo).port)),
    );
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { value: port, servers } = await captureHttpServers(
      () =>
        new Promise<number>((resolve) => {
          const server = http.createServer((_req, res) => res.end('proxied'));
          server.listen(free, () => resolve((server.address() as AddressInfo).port));
        }),
    );
    try {
      expect(port).toBe(free);
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/' }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(body).toBe('proxied');
    } finally {
      await closeServers(servers);
    }
  });
});
