/**
 * The bench model server in a process of its own, for tools that measure a client's CPU alone:
 * prints one JSON line `{"baseUrl": ...}` once listening, and closes when its stdin ends.
 *
 * @example
 * ```sh
 * node --import tsx src/model-server/model-server-process.ts
 * ```
 */
import { startBenchModelServer } from './bench-model-server';

async function main(): Promise<void> {
  const server = await startBenchModelServer();
  process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void server.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
