/**
 * An orchestrator's state is checked by hand in its usual shape and by the schema otherwise:
 * whatever the value, the check accepts exactly what the schema accepts and returns what it returns.
 */
import {
  OrchestratorStateSchema,
  parseOrchestratorState,
} from '../../../../devhost/durable/replay/orchestrator-state';
import { mulberry32, seedFromEnv } from '../../../support/prng';
import { equalAsJson, zodValue } from '../../../support/zod-values';

const activity = { actionType: 0, functionName: 'handoffAgentTurn', input: { turn: 1, text: 'hi' } };
const retry = {
  actionType: 1,
  functionName: 'handoffAgentTurn',
  retryOptions: { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 3, backoffCoefficient: 2 },
  input: null,
};
const timer = { actionType: 5, fireAt: '2026-12-05T00:00:00.000Z', isCanceled: false };
const wait = { actionType: 6, externalEventName: 'reply' };
const state = (actions: unknown[][], extra: Record<string, unknown> = {}) => ({
  isDone: false,
  actions,
  schemaVersion: 1,
  ...extra,
});

const values: unknown[] = [
  state([]),
  state([[activity], [retry, timer], [wait]]),
  state([[{ actionType: 11, compoundActions: [timer, wait] }]]),
  state([[{ actionType: 12, compoundActions: [activity, { actionType: 11, compoundActions: [wait] }] }]]),
  state([[{ actionType: 4, input: { carried: true } }]], {
    isDone: true,
    output: { ok: 1 },
    customStatus: 'x',
  }),
  state([], { isDone: true, error: 'boom', failureDetails: { errorType: 'Error' } }),
  // kinds the emulator does not run, and extra fields: the schema decides
  state([[{ actionType: 7, instanceId: '@e@k', operation: 'op' }]]),
  state([[{ ...activity, version: '' }]]),
  { ...state([]), extra: 1 },
  state([[{ ...retry, retryOptions: { ...retry.retryOptions, extra: true } }]]),
  // malformed
  state([[{ actionType: 0 }]]),
  state([
    [
      {
        actionType: 1,
        functionName: 'f',
        retryOptions: { maxNumberOfAttempts: 1.5, firstRetryIntervalInMilliseconds: 1 },
      },
    ],
  ]),
  state([[{ actionType: 5, fireAt: 1, isCanceled: false }]]),
  state([[{ actionType: 11, compoundActions: [{ actionType: 99 }] }]]),
  state([[activity]], { schemaVersion: 1.5 }),
  state([[activity]], { error: 3 }),
  state([activity] as unknown as unknown[][]),
  { isDone: 'no', actions: [], schemaVersion: 1 },
  { actions: [], schemaVersion: 1 },
  null,
  [],
];

describe('an orchestrator state check', () => {
  it.each(values.map((value) => [JSON.stringify(value), value]))(
    'accepts and returns what the schema does for %s',
    (_label, value) => {
      const expected = OrchestratorStateSchema.safeParse(value);
      const actual = parseOrchestratorState(value);
      expect(actual.success).toBe(expected.success);
      if (expected.success) expect(actual.data).toEqual(expected.data);
    },
  );

  // States generated from the schema's definition: a field added to the schema, or a check made
  // stricter, that the hand reader does not follow makes the two differ here.
  it('accepts and returns what the schema does for 2000 states generated from the schema', () => {
    const random = mulberry32(seedFromEnv('ORCHESTRATOR_STATE_SEED', 20261205));
    let accepted = 0;
    for (let n = 0; n < 2000; n += 1) {
      const value = zodValue(OrchestratorStateSchema, random, { breakChance: 0.01, maxDepth: 3 });
      const expected = OrchestratorStateSchema.safeParse(value);
      const actual = parseOrchestratorState(value);
      if (expected.success) accepted += 1;
      if (actual.success !== expected.success || !equalAsJson(actual.data, expected.data)) {
        // Report the one value that differs (and the seed to replay it), not 3000 assertions.
        expect({ seed: random.seed, n, value, actual: actual.success ? actual.data : 'rejected' }).toEqual({
          seed: random.seed,
          n,
          value,
          actual: expected.success ? expected.data : 'rejected',
        });
      }
    }
    // Both sides of the check are exercised: many values fit, a good share do not.
    expect(accepted).toBeGreaterThan(400);
    expect(accepted).toBeLessThan(1900);
  });
});
