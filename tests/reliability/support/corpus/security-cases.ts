/**
 * The requests a hostile web page, or a caller probing for runs, can send: CORS preflights and
 * requests from a foreign origin (valid credentials included), JSON sent as a "simple" cross-site
 * type (text/plain, a form), and anonymous starts that choose a run id, taken or not (which would
 * tell the caller which ids exist). Every one must be refused without touching a run.
 */
import {
  bearer,
  get,
  jsonOf,
  post,
  runRoute,
  startRoute,
  WORKFLOWS,
  type CorpusContext,
  type Header,
  type HostileRequest,
} from './hostile-request';

const FOREIGN_ORIGINS = ['https://evil.example', 'null', 'http://localhost.evil.example', 'file://'];

/** Generates the security corpus. */
export function securityCases(ctx: CorpusContext): HostileRequest[] {
  const [p1] = ctx.protectedRuns;
  const run = p1!;
  const reply = jsonOf({ message: 'a reply that must never arrive' });
  const start = jsonOf({ message: 'a run that must never start' });
  const routes: Array<[string, string, 'GET' | 'POST', string | undefined, Header[]]> = [
    ['list', WORKFLOWS, 'GET', undefined, []],
    ['start', startRoute(), 'POST', start, []],
    ['status', runRoute('status', run.runId), 'GET', undefined, [bearer(run.token)]],
    ['events', runRoute('events', run.runId), 'GET', undefined, [bearer(run.token)]],
    ['respond', runRoute('respond', run.runId), 'POST', reply, [bearer(run.token)]],
    ['terminate', runRoute('terminate', run.runId), 'POST', '{}', [bearer(run.token)]],
  ];
  const cases: HostileRequest[] = [];
  for (const origin of FOREIGN_ORIGINS) {
    for (const [name, target, method, body, credentials] of routes) {
      cases.push({
        category: 'cors',
        label: `preflight of ${name} from ${origin}`,
        method: 'OPTIONS',
        target,
        headers: [
          ['Origin', origin],
          ['Access-Control-Request-Method', method],
          ['Access-Control-Request-Headers', 'authorization, content-type'],
        ],
      });
      // A page of the foreign origin that somehow holds the run's token: still refused.
      cases.push(
        method === 'GET'
          ? get('cors', `${name} from ${origin}, with the run's token`, target, [
              ['Origin', origin],
              ...credentials,
            ])
          : post('cors', `${name} from ${origin}, with the run's token`, target, body!, [
              ['Origin', origin],
              ...credentials,
            ]),
      );
    }
  }
  for (const type of [
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
    'text/json',
  ]) {
    cases.push(post('content-type', `start sent as ${type}`, startRoute(), start, [['Content-Type', type]]));
    cases.push(
      post(
        'content-type',
        `a reply sent as ${type}, with the run's token`,
        runRoute('respond', run.runId),
        reply,
        [['Content-Type', type], bearer(run.token)],
      ),
    );
  }
  for (const [label, runId] of [
    ['taken by a run in progress', run.runId],
    ['taken by a run that ended', ctx.finished.runId],
    ['not taken', 'never-used-run-id-0042'],
  ] as const) {
    cases.push(
      post(
        'run-id-oracle',
        `an anonymous start choosing a run id ${label}`,
        startRoute(),
        jsonOf({ message: 'hi', runId }),
      ),
    );
  }
  return cases;
}
