/**
 * Stream chunks are checked by hand in their usual shape and by the schema otherwise: whatever the
 * chunk, the check accepts exactly what the schema accepts and returns what it returns.
 */
import { ChatCompletionChunkSchema, checkChunk } from '../../src/model/chat-completion-chunks';
import { mulberry32, seedFromEnv } from '../support/prng';
import { equalAsJson, zodValue } from '../support/zod-values';

const chunks: unknown[] = [
  { id: 'c1', choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
  { id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
  { id: 'c1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } },
  {
    choices: [
      {
        delta: {
          tool_calls: [{ index: 0, id: 't1', type: 'function', function: { name: 'f', arguments: '{' } }],
        },
      },
    ],
  },
  { choices: [{ delta: { tool_calls: [{ function: { arguments: '}' } }] } }] },
  { choices: [{ index: 0, finish_reason: 'content_filter' }] },
  { id: null, choices: null, usage: undefined },
  {},
  // extra fields (as OpenAI sends them): the schema drops them
  {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1733356800,
    model: 'gpt-4o-mini',
    system_fingerprint: 'fp_1',
    service_tier: 'default',
    choices: [
      {
        index: 0,
        delta: { role: 'assistant', content: 'Hi', refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ],
    usage: null,
  },
  {
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null }],
  },
  {
    usage: {
      prompt_tokens: 1,
      completion_tokens: 1,
      total_tokens: 2,
      prompt_tokens_details: { cached_tokens: 0 },
    },
  },
  // malformed
  { id: 7 },
  { choices: [{ index: -1, delta: { content: 'x' } }] },
  { choices: [{ index: 0.5 }] },
  { choices: [{ delta: { content: 3 } }] },
  { choices: [{ delta: { tool_calls: [{ index: 'a' }] } }] },
  { choices: [{ delta: { tool_calls: {} } }] },
  { choices: {} },
  { usage: { prompt_tokens: Number.NaN } },
  { usage: { total_tokens: -2 } },
  [],
  null,
  'text',
];

describe('a stream chunk check', () => {
  it.each(chunks.map((chunk) => [JSON.stringify(chunk) ?? String(chunk), chunk]))(
    'accepts and returns what the schema does for %s',
    (_label, chunk) => {
      const parsed = ChatCompletionChunkSchema.safeParse(chunk);
      expect(checkChunk(chunk)).toEqual(parsed.success ? parsed.data : undefined);
    },
  );

  // Values generated from the schema's definition: a field added to the schema, or a check made
  // stricter, that the hand reader does not follow makes the two differ here.
  it('accepts and returns what the schema does for 3000 chunks generated from the schema', () => {
    const random = mulberry32(seedFromEnv('CHUNK_CHECK_SEED', 20261205));
    let accepted = 0;
    for (let n = 0; n < 3000; n += 1) {
      const chunk = zodValue(ChatCompletionChunkSchema, random);
      const parsed = ChatCompletionChunkSchema.safeParse(chunk);
      if (parsed.success) accepted += 1;
      const expected = parsed.success ? parsed.data : undefined;
      if (!equalAsJson(checkChunk(chunk), expected)) {
        // Report the one value that differs (and the seed to replay it), not 3000 assertions.
        expect({ seed: random.seed, n, chunk, checked: checkChunk(chunk) }).toEqual({
          seed: random.seed,
          n,
          chunk,
          checked: expected,
        });
      }
    }
    // Both sides of the check are exercised: most values fit, a good share do not.
    expect(accepted).toBeGreaterThan(1000);
    expect(accepted).toBeLessThan(2800);
  });
});
