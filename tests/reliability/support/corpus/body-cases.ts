/**
 * Hostile request bodies: broken JSON, wrong types, huge and deeply nested bodies, prototype
 * pollution keys, bytes that are not UTF-8, odd content types and framing, and unicode edge cases.
 * Bodies that reach a protected run are always invalid; valid ones go to the start route or to the
 * sacrificial run.
 */
import {
  bearer,
  jsonOf,
  mayPass,
  post,
  runRoute,
  startRoute,
  type CorpusContext,
  type HostileRequest,
} from './hostile-request';

/** Texts that are not JSON, or not JSON `JSON.parse` accepts. */
export const BROKEN_JSON: readonly string[] = [
  '',
  ' \n\t ',
  '{',
  '}',
  '[',
  '{"message":',
  '{"message": "hi"',
  '{"message": "hi",}',
  "{'message': 'hi'}",
  '{"message": hi}',
  '{message: "hi"}',
  'NaN',
  'undefined',
  '-',
  '{"message": "a"}{"message": "b"}',
  '\uFEFF{"message": "bom first"}',
  '{"message": "\\x41"}',
  '{"message": "\\u12"}',
  '{"message": "raw\nnewline"}',
  '/* comment */ {"message": "x"}',
  '{"message": "x"} // comment',
  '{"message": "x", "mode": }',
  '{"message" "x"}',
  '{"message": "x" "mode": "autonomous"}',
  '1'.repeat(10_000),
  '{"message": 01}',
  '{"message": .5}',
  '{"message": "a raw \u0000 control character"}',
  '\u0000',
  '{"message": "x"',
];

/** Well-formed JSON of the wrong shape for `POST .../run`. */
const WRONG_START_BODIES: readonly unknown[] = [
  null,
  true,
  0,
  'message',
  [],
  [{ message: 'x' }],
  {},
  { mode: 'autonomous' },
  { message: 1 },
  { message: true },
  { message: null },
  { message: ['x'] },
  { message: { text: 'x' } },
  { message: '' },
  { message: '   \n ' },
  { message: 'x'.repeat(32 * 1024 + 1) },
  { message: 'x', mode: 'AUTONOMOUS' },
  { message: 'x', mode: 'interactive-ish' },
  { message: 'x', mode: 1 },
  { message: 'x', mode: null },
  { message: 'x', runId: '' },
  { message: 'x', runId: 'a b' },
  { message: 'x', runId: '../etc' },
  { message: 'x', runId: '-leading-dash' },
  { message: 'x', runId: 'x'.repeat(101) },
  { message: 'x', runId: 42 },
  { message: 'x', runId: '\u{1F600}' },
  { message: 'x', extra: true },
  { Message: 'x' },
  { message: 'x', MESSAGE: 'y' },
];

/** Well-formed JSON of the wrong shape for `POST .../respond/{runId}`. */
const WRONG_REPLY_BODIES: readonly unknown[] = [
  null,
  [],
  {},
  { requestId: 'r' },
  { message: 5 },
  { message: null },
  { message: '' },
  { message: 'x'.repeat(32 * 1024 + 1) },
  { message: 'x', requestId: 5 },
  { message: 'x', requestId: '' },
  { message: 'x', requestId: null },
  { message: 'x', requestId: ['a'] },
  { message: 'x', requestId: 'r'.repeat(129) },
  { message: 'x', replyId: 'forged-reply-id' },
  { message: 'x', mode: 'autonomous' },
];

/** Prototype-pollution bodies (as text: JSON.parse makes `__proto__` an own key). */
const POLLUTION_BODIES: readonly string[] = [
  '{"__proto__": {"message": "polluted"}}',
  '{"message": "hi", "__proto__": {"mode": "autonomous"}}',
  '{"message": "hi", "__proto__": null}',
  '{"message": "hi", "constructor": {"prototype": {"polluted": true}}}',
  '{"message": {"__proto__": {"toString": 1}}}',
  '{"__proto__": {"__proto__": {"polluted": 1}}, "message": "x"}',
  '{"message": "x", "runId": "__proto__"}',
  '{"message": "x", "prototype": {"polluted": true}}',
];

/** Unicode edge cases, each a valid message. */
export const UNICODE_MESSAGES: readonly string[] = [
  'emoji \u{1F600} and a ZWJ family \u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}',
  'right-to-left \u202Eoverride\u202C and isolates \u2066x\u2069',
  'zero\u200Bwidth\u200Djoiner and a \uFEFF byte order mark inside',
  `combining${'e\u0301'.repeat(500)}`,
  'Z\u0337\u0322\u031B\u032Ba\u0334l\u0336g\u0338o\u0335',
  'NUL \u0000 and controls \u0001\u0007\u001B[31m\u001F',
  'lone high surrogate \uD800 here',
  'lone low surrogate \uDC00 here',
  'reversed pair \uDC00\uD800',
  'noncharacters \uFFFE \uFFFF \uFDD0',
  'line\u2028separator\u2029paragraph',
  'CRLF\r\nX-Injected: 1\r\n\r\nin a message',
  '\u{1D54C}\u{1D55F}\u{1D55A}\u{1D554}\u{1D560}\u{1D555}\u{1D556} math alphanumerics',
  'CJK \u4E2D\u6587 \u65E5\u672C\u8A9E \uD55C\uAD6D\uC5B4',
  'Arabic \u0645\u0631\u062D\u0628\u0627 and Hebrew \u05E9\u05DC\u05D5\u05DD',
  'max code point \u{10FFFF}',
  '<script>alert(1)</script> and {{template}} and ${expression}',
  '"; DROP TABLE HandoffEvents; --',
  'a'.repeat(32 * 1024),
  '"\\'.repeat(5_000),
];

/** Bytes that are not UTF-8, and UTF-8 that is not well-formed. */
const NOT_UTF8: readonly [string, Buffer][] = [
  ['random high bytes', Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x80])],
  [
    'invalid sequence inside a string',
    Buffer.concat([Buffer.from('{"message": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
  ],
  [
    'CESU-8 surrogate',
    Buffer.concat([Buffer.from('{"message": "'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
  ],
  [
    'above U+10FFFF',
    Buffer.concat([Buffer.from('{"message": "'), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from('"}')]),
  ],
  [
    'overlong slash',
    Buffer.concat([Buffer.from('{"message": "'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
  ],
  [
    'truncated sequence at the end',
    Buffer.concat([Buffer.from('{"message": "x"}'), Buffer.from([0xe2, 0x82])]),
  ],
  [
    'UTF-16LE with BOM',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"message": "utf16"}', 'utf16le')]),
  ],
  ['UTF-16BE without BOM', Buffer.from('{"message": "utf16"}', 'utf16le').swap16()],
  ['Latin-1 accents', Buffer.from('{"message": "caf\u00e9 cr\u00e8me"}', 'latin1')],
];

/** The categories of body cases. */
export function bodyCases(ctx: CorpusContext): HostileRequest[] {
  const [p1] = ctx.protectedRuns;
  const s = ctx.sacrificial;
  const cases: HostileRequest[] = [];
  const toStart = (category: string, label: string, body: string | Buffer): void => {
    cases.push(post(category, `start: ${label}`, startRoute(), body));
  };
  const toSacrificial = (category: string, label: string, body: string | Buffer): void => {
    cases.push(post(category, `reply to S: ${label}`, runRoute('respond', s.runId), body, [bearer(s.token)]));
  };

  for (const text of BROKEN_JSON) {
    const label = JSON.stringify(text.slice(0, 40));
    toStart('broken-json', label, text);
    toSacrificial('broken-json', label, text);
    for (const run of ctx.protectedRuns) {
      cases.push(
        post('broken-json', `reply to ${run.runId}: ${label}`, runRoute('respond', run.runId), text, [
          bearer(run.token),
        ]),
      );
    }
  }
  for (const body of WRONG_START_BODIES) toStart('wrong-types', jsonOf(body).slice(0, 60), jsonOf(body));
  for (const body of WRONG_REPLY_BODIES) {
    toSacrificial('wrong-types', jsonOf(body).slice(0, 60), jsonOf(body));
    cases.push(
      post(
        'wrong-types',
        `reply to P1: ${jsonOf(body).slice(0, 60)}`,
        runRoute('respond', p1!.runId),
        jsonOf(body),
        [bearer(p1!.token)],
      ),
    );
  }

  const huge = (bytes: number): string => jsonOf({ message: 'x'.repeat(bytes) });
  const sized: readonly (readonly [string, string, boolean])[] = [
    ['a message just over the 64 KiB body limit', huge(64 * 1024), false],
    ['1 MB', huge(1024 * 1024), true],
    ['10 MB', huge(10 * 1024 * 1024), true],
    ['70 KB of whitespace before a valid body', `${' '.repeat(70_000)}{"message": "x"}`, false],
    [
      '5 000 unknown keys',
      `{"message": "x", ${Array.from({ length: 5_000 }, (_, i) => `"k${i}": ${i}`).join(', ')}}`,
      false,
    ],
    [
      '32 768 emoji (a valid length, four bytes each)',
      jsonOf({ message: '\u{1F600}'.repeat(16_384) }),
      false,
    ],
  ];
  for (const [label, body] of sized) {
    const requests = [
      post('huge-bodies', `start: ${label}`, startRoute(), body),
      post('huge-bodies', `reply to P1: ${label}`, runRoute('respond', p1!.runId), body, [bearer(p1!.token)]),
      post('huge-bodies', `reply to S: ${label}`, runRoute('respond', s.runId), body, [bearer(s.token)]),
    ];
    cases.push(...requests);
  }

  for (const [label, body] of [
    ['100 000 open brackets', '['.repeat(100_000)],
    ['30 000 nested arrays', `${'['.repeat(30_000)}${']'.repeat(30_000)}`],
    ['a message of 30 000 nested arrays', `{"message": ${'['.repeat(30_000)}${']'.repeat(30_000)}}`],
    ['10 000 nested objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    [
      'a mode of 5 000 nested objects',
      `{"message": "x", "mode": ${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
    ],
  ] as const) {
    toStart('deep-nesting', label, body);
    toSacrificial('deep-nesting', label, body);
  }

  for (const body of POLLUTION_BODIES) {
    toStart('proto-pollution', body.slice(0, 60), body);
    toSacrificial('proto-pollution', body.slice(0, 60), body);
  }

  const odd: HostileRequest[] = [];
  for (const [label, bytes] of NOT_UTF8) {
    odd.push(post('non-utf8', `start: ${label}`, startRoute(), bytes));
    odd.push(
      post('non-utf8', `reply to S: ${label}`, runRoute('respond', s.runId), bytes, [bearer(s.token)]),
    );
  }

  const valid = jsonOf({ message: 'Where is my parcel? (content-type case)' });
  const contentTypes: readonly [string, readonly (readonly [string, string])[]][] = [
    ['no content type', []],
    ['text/plain', [['Content-Type', 'text/plain']]],
    ['application/xml', [['Content-Type', 'application/xml']]],
    ['multipart with a made-up boundary', [['Content-Type', 'multipart/form-data; boundary=----x']]],
    [
      'two content types',
      [
        ['Content-Type', 'application/json'],
        ['Content-Type', 'text/html'],
      ],
    ],
    ['an empty content type', [['Content-Type', '']]],
    ['a garbage content type', [['Content-Type', ';;;=;']]],
    ['UTF-16 charset on UTF-8 bytes', [['Content-Type', 'application/json; charset=utf-16']]],
    ['a 10 KB content type', [['Content-Type', `application/json; x=${'a'.repeat(10_000)}`]]],
    ['form-encoded', [['Content-Type', 'application/x-www-form-urlencoded']]],
  ];
  for (const [label, headers] of contentTypes) {
    odd.push({
      category: 'content-type',
      label: `start: ${label}`,
      method: 'POST',
      target: startRoute(),
      body: valid,
      headers,
    });
    odd.push({
      category: 'content-type',
      label: `reply to S: ${label}`,
      method: 'POST',
      target: runRoute('respond', s.runId),
      body: jsonOf({ message: `a reply sent with ${label}` }),
      headers: [bearer(s.token), ...headers],
    });
  }
  cases.push(
    post('content-type', 'start: a form-encoded body', startRoute(), 'message=hi&mode=autonomous', [
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ]),
  );

  for (const text of UNICODE_MESSAGES) {
    const label = jsonOf(text.slice(0, 30));
    const start = post('unicode', `start: ${label}`, startRoute(), jsonOf({ message: text }));
    odd.push(start);
    odd.push(
      post('unicode', `reply to S: ${label}`, runRoute('respond', s.runId), jsonOf({ message: text }), [
        bearer(s.token),
      ]),
    );
  }
  return [...cases, ...mayPass(odd)];
}
