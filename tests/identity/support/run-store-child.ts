/**
 * Runs the app's run store in a process whose environment the test controls entirely: the store is
 * built from the app settings as the app builds it (`loadStorageSettings()` over `process.env`), then
 * writes and reads events, messages and replies. Prints one JSON line: the outcome, or the error.
 */
import { loadStorageSettings } from '../../../src/durable/store/storage-settings';
import { TableRunStore } from '../../../src/durable/store/table-run-store';

async function main(): Promise<void> {
  const settings = loadStorageSettings();
  const store = new TableRunStore(settings);
  const runId = `identity-run-${process.pid}`;
  const timestamp = '2026-12-01T09:00:00.000Z';
  await store.saveEvents(runId, [
    { type: 'warning', seq: 1, timestamp, code: 'identity', message: 'written with a token' },
    { type: 'warning', seq: 2, timestamp, code: 'identity', message: 'no account key anywhere' },
  ]);
  await store.saveMessages(runId, 0, [
    { role: 'user', text: 'Where is my order?' },
    { role: 'assistant', authorName: 'shipping_agent', text: 'On its way.' },
  ]);
  await store.saveReply(runId, { replyId: 'r1', message: 'thanks', receivedAt: timestamp });
  const events = await store.readEvents(runId, 0);
  const messages = await store.readMessages(runId, 2);
  const replies = await store.unhandledReplies(runId);
  process.stdout.write(
    `${JSON.stringify({ ok: true, settingsKind: settings.kind, credential: settings.kind === 'identity' ? settings.credential : undefined, events, messages, replies })}\n`,
  );
}

main().catch((error: unknown) => {
  const { message, statusCode, code } = error as { message?: string; statusCode?: number; code?: string };
  process.stdout.write(`${JSON.stringify({ ok: false, message, statusCode, code })}\n`);
  process.exitCode = 1;
});
