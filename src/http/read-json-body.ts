import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { formatIssues } from '../core/zod-issues';
import { ApiError } from './http-error';
import { readBoundedBody } from './read-bounded-body';

/** The largest request body the API reads (a 32 KiB message plus JSON overhead). */
export const MAX_BODY_BYTES = 64 * 1024;

/** `application/json`, or a `+json` type such as `application/merge-patch+json`, with any parameters. */
const JSON_CONTENT_TYPE = /^application\/([a-z0-9.-]+\+)?json\s*(;|$)/i;

/**
 * Refuses a body that does not say it is JSON (415). Besides being the HTTP contract, this is what
 * keeps a web page on another site from writing to the API with a "simple" cross-site request: a
 * browser sends `text/plain`, form or multipart bodies without asking the server first (no CORS
 * preflight), but must preflight `application/json`, which the CORS policy then answers.
 */
export function assertJsonContentType(request: HttpRequest): void {
  const type = request.headers.get('content-type') ?? '';
  if (JSON_CONTENT_TYPE.test(type.trim())) return;
  throw new ApiError(
    415,
    'unsupported_media_type',
    type === ''
      ? 'The request has no Content-Type; send the JSON body with "Content-Type: application/json".'
      : `Content-Type '${type.slice(0, 100)}' is not accepted; send the JSON body with "Content-Type: application/json".`,
  );
}

/**
 * Reads a JSON body and validates it with `schema`. Answers 415 unless the body is declared
 * `application/json`, 413 above {@link MAX_BODY_BYTES}, 400 for a body that is not JSON or does not
 * fit the schema, with a message that says what to fix.
 */
export async function readJsonBody<T>(
  request: HttpRequest,
  schema: z.ZodType<T>,
  example: string,
): Promise<T> {
  assertJsonContentType(request);
  const { bytes, total } = await readBoundedBody(
    request.body as AsyncIterable<Uint8Array> | null,
    MAX_BODY_BYTES,
  );
  if (total > MAX_BODY_BYTES) {
    throw new ApiError(
      413,
      'payload_too_large',
      `The request body is ${total} bytes; the limit is ${MAX_BODY_BYTES}.`,
    );
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') {
    throw new ApiError(
      400,
      'invalid_json',
      `The request body is empty; send a JSON object such as ${example}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(
      400,
      'invalid_json',
      `The request body is not valid JSON; send a JSON object such as ${example}.`,
    );
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    throw new ApiError(
      400,
      'invalid_request',
      `${formatIssues('The request body is invalid', result.error)}. Example body: ${example}.`,
    );
  }
  return result.data;
}
