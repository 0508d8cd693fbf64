/**
 * `npm start` (scripts/start.mjs) on a busy port: it says so at once and exits 2 before building
 * anything, instead of rebuilding dist/ under the host that holds the port.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function listen(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('npm start on a port another process holds', () => {
  it('exits 2 with a message that names the port and the command for another one, and builds nothing', async () => {
    const busy = await listen();
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), '--port', String(port)], {
        cwd: root,
        // No npm on the PATH: had the script gone on to build, it would have exited 1, not 2.
        env: { ...process.env, PATH: '/nonexistent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));

      expect(code).toBe(2);
      expect(stderr).toContain(`Port ${port} is in use`);
      expect(stderr).toContain(`npm start -- --port ${port + 1}`);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
