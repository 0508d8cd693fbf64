/**
 * Hostile URLs and framing: path traversal and encoded slashes in `{name}` and `{runId}`, raw
 * `..` segments nothing normalizes, very long route parameters, unicode and broken
 * percent-encoding, wrong methods, odd query parameters of the events route, and malformed HTTP
 * framing. Credentials that could act on a protected run only ever travel with read-only routes
 * or with an invalid body.
 */
import {
  bearer,
  get,
  mayPass,
  post,
  runRoute,
  startRoute,
  WF,
  WORKFLOWS,
  type CorpusContext,
  type Header,
  type HostileRequest,
} from './hostile-request';

/** Route-parameter values that try to escape their segment. */
export const TRAVERSALS: readonly string[] = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '..%2F..',
  '%2e%2e%2f%2e%2e',
  '..%5C..',
  '%252e%252e%252f',
  '....%2F%2F',
  '.%2e',
  `${WF}%2F..%2F..%2Fadmin`,
  `${WF}%00`,
  '%2F',
  '%5C',
  '%3B',
  `${WF};jsessionid=1`,
  '..%2F..%2F..%2Fruntime%2Fwebhooks%2Fdurabletask%2Finstances',
];

/** Route-parameter values with unicode or broken percent-encoding. */
export const ODD_ENCODINGS: readonly string[] = [
  '%F0%9F%98%80',
  '%E2%80%AE',
  '%00',
  '%C0%AE%C0%AE',
  '%FF',
  '%',
  '%zz',
  '%u0041',
  'caf%C3%A9',
  `%EF%BB%BF${WF}`,
  `${WF}%E2%80%8B`,
  WF.toUpperCase(),
  '__proto__',
  'constructor',
  'hasOwnProperty',
];

/** Raw paths with `..` segments, sent as they are. */
function rawDotPaths(runId: string): string[] {
  return [
    `${WORKFLOWS}/${WF}/status/../../../runtime/webhooks/durabletask/instances`,
    `${WORKFLOWS}/../workflows/${WF}/status/${runId}`,
    `/api/./workflows`,
    `//api//workflows`,
    `${WORKFLOWS}/${WF}/status/${runId}/..`,
    `${WORKFLOWS}/${WF}/status/./${runId}`,
    `/api/workflows/%2e%2e/%2e%2e/runtime/webhooks/durabletask/instances`,
    `/runtime/webhooks/durabletask/instances/..%2F..%2F..%2Fapi%2Fworkflows`,
  ];
}

/** The categories of route cases. */
export function routeCases(ctx: CorpusContext): HostileRequest[] {
  const [p1] = ctx.protectedRuns;
  const s = ctx.sacrificial;
  const cases: HostileRequest[] = [];
  const badBody = '{';

  for (const value of TRAVERSALS) {
    cases.push(post('path-traversal', `start, name ${value}`, startRoute(value), '{"message": "traversal"}'));
    cases.push(
      get('path-traversal', `status, name ${value}`, runRoute('status', p1!.runId, value), [
        bearer(p1!.token),
      ]),
    );
    cases.push(
      get('path-traversal', `status, runId ${value}`, runRoute('status', value), [bearer(p1!.token)]),
    );
    cases.push(
      get('path-traversal', `events, runId ${value} with a key`, runRoute('events', value), [
        ['x-functions-key', ctx.functionKey],
      ]),
    );
    cases.push(
      post(
        'path-traversal',
        `respond, runId ${value}`,
        runRoute('respond', `${p1!.runId}${value}`),
        badBody,
        [bearer(p1!.token)],
      ),
    );
    cases.push(
      post('path-traversal', `terminate, runId ${value} with S's token`, runRoute('terminate', value), '', [
        bearer(s.token),
      ]),
    );
    cases.push(
      post(
        'path-traversal',
        `terminate, name ${value} without credentials`,
        runRoute('terminate', p1!.runId, value),
        '',
      ),
    );
  }
  for (const path of rawDotPaths(p1!.runId)) {
    // Read-only and possibly normalized into a valid route: may succeed.
    const reads = mayPass([
      get('path-traversal', `raw path ${path}`, path, [bearer(p1!.token)]),
      get('path-traversal', `raw path ${path} with a key`, path, [['x-functions-key', ctx.functionKey]]),
    ]);
    cases.push(...reads);
  }

  for (const length of [2_000, 8_000, 20_000]) {
    const long = 'a'.repeat(length);
    cases.push(post('long-params', `start, name of ${length}`, startRoute(long), '{"message": "long"}'));
    cases.push(
      get('long-params', `status, runId of ${length}`, runRoute('status', long), [bearer(p1!.token)]),
    );
    cases.push(
      get('long-params', `events, runId of ${length} with a key`, runRoute('events', long), [
        ['x-functions-key', ctx.functionKey],
      ]),
    );
    cases.push(
      post('long-params', `respond, runId of ${length}`, runRoute('respond', long), badBody, [
        bearer(s.token),
      ]),
    );
    cases.push(
      ...mayPass([
        get('long-params', `a query of ${length}`, `${runRoute('status', p1!.runId)}?x=${long}`, [
          bearer(p1!.token),
        ]),
      ]),
    );
  }
  cases.push(get('long-params', '1 000 path segments', `${WORKFLOWS}${'/a'.repeat(1_000)}`));

  for (const value of ODD_ENCODINGS) {
    cases.push(post('unicode-params', `start, name ${value}`, startRoute(value), '{"message": "odd name"}'));
    cases.push(
      get('unicode-params', `status, runId ${value}`, runRoute('status', value), [bearer(p1!.token)]),
    );
    cases.push(
      get('unicode-params', `status, runId ${value} with a key`, runRoute('status', value), [
        ['x-functions-key', ctx.functionKey],
      ]),
    );
  }
  cases.push(
    get(
      'unicode-params',
      'raw UTF-8 bytes in the path',
      Buffer.from(`${WORKFLOWS}/\u{1F600}/status/x`, 'utf8'),
    ),
  );
  cases.push(
    get(
      'unicode-params',
      'raw non-UTF-8 bytes in the path',
      Buffer.concat([Buffer.from(`${WORKFLOWS}/`), Buffer.from([0xff, 0xfe]), Buffer.from('/status/x')]),
    ),
  );

  const routes: [string, string, Header[]][] = [
    ['list', WORKFLOWS, []],
    ['start', startRoute(), []],
    ['status', runRoute('status', s.runId), [bearer(s.token)]],
    ['events', runRoute('events', s.runId), [bearer(s.token)]],
    ['respond', runRoute('respond', s.runId), [bearer(s.token)]],
    ['terminate', runRoute('terminate', s.runId), [bearer(s.token)]],
    ['key check', '/api/auth/key-check', [['x-functions-key', 'wrong-key']]],
  ];
  const allowed: Record<string, string> = {
    list: 'GET',
    start: 'POST',
    status: 'GET',
    events: 'GET',
    respond: 'POST',
    terminate: 'POST',
    'key check': 'GET',
  };
  for (const [name, target, headers] of routes) {
    for (const method of [
      'GET',
      'POST',
      'PUT',
      'DELETE',
      'PATCH',
      'OPTIONS',
      'HEAD',
      'TRACE',
      'PROPFIND',
      'FOO',
      'get',
    ]) {
      if (method === allowed[name]) continue;
      // OPTIONS is the CORS preflight of the API's routes (security-cases.ts sends foreign ones).
      if (method === 'OPTIONS' && name !== 'key check') continue;
      cases.push({
        category: 'methods',
        label: `${method} ${name}`,
        method,
        target,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : '{"message": "wrong method"}',
      });
    }
  }

  const events = runRoute('events', p1!.runId);
  for (const query of [
    'after=-1',
    'after=abc',
    'after=1e309',
    'after=99999999999',
    'after=1.5',
    'after=%00',
    'after=',
    'after=1&after=2',
    'after[]=1',
  ]) {
    cases.push(
      ...mayPass([get('events-params', `events ?${query}`, `${events}?${query}`, [bearer(p1!.token)])]),
    );
  }
  // Not canonical decimal seqs: each must be refused, not read as 16, 1000, 5, 7 or 1.
  for (const query of ['after=0x10', 'after=1e3', 'after=%2B5', 'after=%207', 'after=007', 'after=1.0']) {
    cases.push(get('events-params', `events ?${query}`, `${events}?${query}`, [bearer(p1!.token)]));
  }
  for (const lastEventId of ['garbage', '-5', 'x'.repeat(5_000), '1\u00e9']) {
    cases.push(
      get('events-params', `Last-Event-ID ${lastEventId.slice(0, 20)}`, events, [
        bearer(p1!.token),
        ['Last-Event-ID', lastEventId],
      ]),
    );
  }
  cases.push(
    get('events-params', 'an event stream with a forged token', events, [
      bearer('dh1.forged'),
      ['Accept', 'text/event-stream'],
    ]),
  );
  cases.push(
    get('events-params', 'an event stream from a bad cursor', `${events}?after=abc`, [
      bearer(p1!.token),
      ['Accept', 'text/event-stream'],
    ]),
  );

  const framing = (
    label: string,
    headers: readonly (readonly [string, string])[],
    body?: string,
    host = true,
  ): void => {
    const base: (readonly [string, string])[] = host
      ? [
          ['Host', 'localhost'],
          ['Connection', 'close'],
        ]
      : [['Connection', 'close']];
    cases.push({
      category: 'framing',
      label,
      method: 'POST',
      target: startRoute(),
      headers: [...base, ...headers],
      body,
      defaultHeaders: false,
    });
  };
  const chunk = '{"message": "a chunked body"}';
  framing(
    'two different Content-Lengths',
    [
      ['Content-Length', '2'],
      ['Content-Length', '3'],
    ],
    '{}x',
  );
  framing(
    'Content-Length and Transfer-Encoding',
    [
      ['Content-Length', '2'],
      ['Transfer-Encoding', 'chunked'],
    ],
    '0\r\n\r\n',
  );
  framing('a negative Content-Length', [['Content-Length', '-1']], '{}');
  framing('a Content-Length that is not a number', [['Content-Length', 'abc']], '{}');
  framing('a malformed chunk size', [['Transfer-Encoding', 'chunked']], 'zz\r\n{}\r\n0\r\n\r\n');
  framing('a huge declared Content-Length with a tiny body', [['Content-Length', '99999999999']], '{}');
  framing(
    'a header name with a space',
    [
      ['Bad Header', 'x'],
      ['Content-Length', '2'],
    ],
    '{}',
  );
  framing(
    'a header without a colon',
    [
      ['X-No-Colon\u0000', 'x'],
      ['Content-Length', '2'],
    ],
    '{}',
  );
  framing(
    'a valid chunked body',
    [
      ['Transfer-Encoding', 'chunked'],
      ['Content-Type', 'application/json'],
    ],
    `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
  );
  cases[cases.length - 1]!.accept = 'any';
  framing('no Host header', [['Content-Length', '2']], '{}', false);
  return cases;
}
