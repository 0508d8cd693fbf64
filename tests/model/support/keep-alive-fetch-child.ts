/**
 * Makes three calls with createKeepAliveFetch to the HTTPS URL in FETCH_URL (its certificate
 * trusted through NODE_EXTRA_CA_CERTS, read at process start, hence a process of its own) and prints
 * one JSON line: each answer's status and body, or the error.
 */
import { createKeepAliveFetch } from '../../../src/model/keep-alive-fetch';

async function main(): Promise<void> {
  const send = createKeepAliveFetch();
  const answers: { status: number; body: string }[] = [];
  for (let i = 1; i <= 3; i += 1) {
    const response = await send(process.env.FETCH_URL ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ call: i }),
    });
    answers.push({ status: response.status, body: await response.text() });
  }
  console.log(JSON.stringify({ ok: true, answers }));
}

main().catch((error: unknown) => {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  console.log(JSON.stringify({ ok: false, message: String(error), code: cause?.code }));
});
