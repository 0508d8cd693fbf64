/**
 * Hostile credentials and misdirected replies: missing, forged, altered and borrowed run tokens,
 * wrong function keys, replies naming another run's request, replies to runs that ended or do not
 * exist. Replies and terminations sent with bad credentials carry valid bodies on purpose: if a
 * credential were wrongly accepted, the protected run would change and the test would see it.
 */
import { randomBytes } from 'node:crypto';
import {
  bearer,
  get,
  jsonOf,
  mayPass,
  post,
  runRoute,
  type CorpusContext,
  type Header,
  type HostileRequest,
} from './hostile-request';
import type { StartedRun } from '../run-api';
import { legacyTokenUnder, RunTokens } from '../../../../src/http/run-token';
import { TEST_TOKEN_SECRET } from '../../../support/app-host';

/** A credential variant; `readOnly` ones contain a valid credential somewhere and only go to GET routes. */
interface Credential {
  label: string;
  headers: Header[];
  query: string;
  readOnly?: boolean;
}

/** The run's nonce, from its token (`dh2.<nonce>.<expiry>.<mac>`). */
function nonceOf(token: string): string {
  return token.split('.')[1] ?? '';
}

/** A token the app would have issued for the run two hours ago, valid for one hour. */
function expired(run: StartedRun): string {
  const issuedAt = Date.now() - 2 * 3_600_000;
  return new RunTokens(TEST_TOKEN_SECRET, [], { ttlMs: 3_600_000, now: () => issuedAt }).issue({
    runId: run.runId,
    nonce: nonceOf(run.token),
  });
}

function extended(token: string): string {
  const [prefix, nonce, expiry, mac] = token.split('.');
  return `${prefix}.${nonce}.${(parseInt(expiry ?? '0', 36) + 365 * 86_400).toString(36)}.${mac}`;
}

function otherNonce(token: string): string {
  const [prefix, , expiry, mac] = token.split('.');
  return `${prefix}.${'Q'.repeat(22)}.${expiry}.${mac}`;
}

function changeLast(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -1)}${last}`;
}

function credentials(run: StartedRun, other: StartedRun, functionKey: string): Credential[] {
  const plain = (label: string, headers: Header[], query = ''): Credential => ({ label, headers, query });
  return [
    plain('no credentials', []),
    plain('Bearer without a token', [['Authorization', 'Bearer']]),
    plain('Bearer and a space', [['Authorization', 'Bearer ']]),
    plain('a garbage token', [bearer('garbage')]),
    plain('the bare token prefix', [bearer('dh1.')]),
    plain('a random token of the right shape', [bearer(`dh1.${randomBytes(32).toString('base64url')}`)]),
    plain('its token with the last character changed', [bearer(changeLast(run.token))]),
    plain("another run's token", [bearer(other.token)]),
    plain('its token in upper case', [bearer(run.token.toUpperCase())]),
    plain('its token with a character appended', [bearer(`${run.token}x`)]),
    plain('its token truncated', [bearer(run.token.slice(0, -1))]),
    plain('its token under another prefix', [bearer(`dh3.${run.token.slice(4)}`)]),
    plain('its token under the previous build prefix', [bearer(`dh1.${run.token.slice(4)}`)]),
    // Minted with the secret, as a token the app issued: each must still be refused.
    plain('its token, expired an hour ago', [bearer(expired(run))]),
    plain('its token with the expiry pushed back a year', [bearer(extended(run.token))]),
    plain("its token moved to another run instance's nonce", [bearer(otherNonce(run.token))]),
    plain('a dh1 token of its id (previous build), for a run this build started', [
      bearer(legacyTokenUnder(TEST_TOKEN_SECRET, run.runId)),
    ]),
    plain('Basic auth carrying its token', [
      ['Authorization', `Basic ${Buffer.from(`user:${run.token}`).toString('base64')}`],
    ]),
    plain('another auth scheme', [['Authorization', `Token ${run.token}`]]),
    plain('its token followed by a second word', [['Authorization', `Bearer ${run.token} extra`]]),
    plain('a 10 KB token', [bearer(`dh1.${'a'.repeat(10_000)}`)]),
    plain('a token with bytes outside ASCII', [
      ['Authorization', Buffer.from('Bearer dh1.\u00e9\u00ff\u0000', 'latin1')],
    ]),
    plain('?token= garbage', [], 'token=garbage'),
    plain('?token= empty', [], 'token='),
    plain("?token= another run's token", [], `token=${encodeURIComponent(other.token)}`),
    plain('?code= garbage', [], 'code=garbage'),
    plain('a wrong function key', [['x-functions-key', randomBytes(40).toString('base64url')]]),
    plain('an empty function key', [['x-functions-key', '']]),
    plain('a 600-character function key', [['x-functions-key', 'k'.repeat(600)]]),
    plain('the function key with one character changed', [['x-functions-key', changeLast(functionKey)]]),
    plain('a garbage token and a wrong key', [bearer('garbage'), ['x-functions-key', 'wrong']]),
    {
      label: 'a garbage token in the header, its own in the query',
      headers: [bearer('garbage')],
      query: `token=${encodeURIComponent(run.token)}`,
      readOnly: true,
    },
    {
      label: '?token= twice, garbage first',
      headers: [],
      query: `token=garbage&token=${encodeURIComponent(run.token)}`,
      readOnly: true,
    },
    {
      label: 'a lower-case bearer scheme with its token',
      headers: [['authorization', `bearer  ${run.token}`]],
      query: '',
      readOnly: true,
    },
  ];
}

const withQuery = (target: string, query: string): string => (query === '' ? target : `${target}?${query}`);

/** The categories of credential and misdirected-reply cases. */
export function credentialCases(ctx: CorpusContext): HostileRequest[] {
  const cases: HostileRequest[] = [];
  const runs = ctx.protectedRuns;
  runs.forEach((run, index) => {
    const other = runs[(index + 1) % runs.length]!;
    const reply = jsonOf({
      message: 'a reply that must never arrive',
      requestId: ctx.openRequests.get(run.runId),
    });
    for (const credential of credentials(run, other, ctx.functionKey)) {
      const label = `${credential.label} (${run.runId})`;
      const reads = [
        get(
          'tokens',
          `status: ${label}`,
          withQuery(runRoute('status', run.runId), credential.query),
          credential.headers,
        ),
        get(
          'tokens',
          `events: ${label}`,
          withQuery(runRoute('events', run.runId), credential.query),
          credential.headers,
        ),
      ];
      cases.push(...(credential.readOnly ? mayPass(reads) : reads));
      if (credential.readOnly) continue;
      cases.push(
        post(
          'tokens',
          `respond: ${label}`,
          withQuery(runRoute('respond', run.runId), credential.query),
          reply,
          credential.headers,
        ),
      );
      cases.push(
        post(
          'tokens',
          `terminate: ${label}`,
          withQuery(runRoute('terminate', run.runId), credential.query),
          '',
          credential.headers,
        ),
      );
    }
  });

  for (const [label, headers, query] of [
    ['no key', [], ''],
    ['a wrong key', [['x-functions-key', 'wrong']], ''],
    ['a wrong ?code=', [], 'code=wrong'],
    ['an empty ?code=', [], 'code='],
    ['a 600-character key', [['x-functions-key', 'k'.repeat(600)]], ''],
    ['its key with one character changed', [['x-functions-key', changeLast(ctx.functionKey)]], ''],
    ['a key in the Authorization header', [bearer(ctx.functionKey)], ''],
  ] as const) {
    cases.push(get('keys', `key check: ${label}`, withQuery('/api/auth/key-check', query), headers));
  }

  const [p1, p2, p3] = runs as [StartedRun, StartedRun, StartedRun];
  const open = (run: StartedRun): string => ctx.openRequests.get(run.runId) ?? 'none';
  const s = ctx.sacrificial;
  const misdirected: [string, StartedRun, string, Header[], string][] = [
    ["P1 with P2's open request", p1, runRoute('respond', p1.runId), [bearer(p1.token)], open(p2)],
    ["P2 with P1's open request", p2, runRoute('respond', p2.runId), [bearer(p2.token)], open(p1)],
    ["P1 with S's open request", p1, runRoute('respond', p1.runId), [bearer(p1.token)], open(s)],
    ["S with P1's open request", s, runRoute('respond', s.runId), [bearer(s.token)], open(p1)],
    [
      'P1 with a made-up request id of 128 characters',
      p1,
      runRoute('respond', p1.runId),
      [bearer(p1.token)],
      'r'.repeat(128),
    ],
    ['P3, which is not waiting', p3, runRoute('respond', p3.runId), [bearer(p3.token)], open(p1)],
    [
      'a run that ended',
      ctx.finished,
      runRoute('respond', ctx.finished.runId),
      [bearer(ctx.finished.token)],
      'any',
    ],
    [
      'a run that does not exist',
      p1,
      runRoute('respond', 'no-such-run'),
      [['x-functions-key', ctx.functionKey]],
      'any',
    ],
    [
      'P1 under another workflow name',
      p1,
      runRoute('respond', p1.runId, 'other_workflow'),
      [bearer(p1.token)],
      open(p1),
    ],
    [
      'P1 under its workflow name in upper case',
      p1,
      runRoute('respond', p1.runId, 'CUSTOMER_SUPPORT'),
      [bearer(p1.token)],
      open(p2),
    ],
  ];
  for (const [label, , target, headers, requestId] of misdirected) {
    cases.push(
      post(
        'wrong-run-replies',
        `reply to ${label}`,
        target,
        jsonOf({ message: `misdirected: ${label}`, requestId }),
        headers,
      ),
    );
  }
  cases.push(
    post(
      'wrong-run-replies',
      'terminate P1 under another workflow name',
      runRoute('terminate', p1.runId, 'other_workflow'),
      '',
      [bearer(p1.token)],
    ),
  );
  cases.push(
    get(
      'wrong-run-replies',
      'status of P1 under another workflow name',
      runRoute('status', p1.runId, 'other_workflow'),
      [bearer(p1.token)],
    ),
  );
  cases.push(
    post('wrong-run-replies', "terminate S with P1's token", runRoute('terminate', s.runId), '', [
      bearer(p1.token),
    ]),
  );
  return cases;
}
