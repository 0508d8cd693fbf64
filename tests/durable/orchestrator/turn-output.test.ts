import { turnOutputOf } from '../../../src/durable/orchestrator/turn-output';
import { buildRunInput } from '../../../src/durable/start-handoff-run';
import { customerSupport } from '../../../sample/src/workflows/customer-support';

const usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15, requests: 1 };
const completed = {
  ok: true,
  turn: {
    kind: 'completed',
    messageCount: 1,
    events: 3,
    decision: { kind: 'respond' },
    terminate: false,
    usage,
  },
};

describe('turnOutputOf', () => {
  it("takes this build's turn results as they are", () => {
    expect(turnOutputOf(completed)).toBe(completed);
    const failed = { ok: false, error: { code: 'model_error', message: 'down' }, retry: true };
    expect(turnOutputOf(failed)).toBe(failed);
  });

  it('parses a turn summary of a build before #12, dropping what this build does not read', () => {
    const legacy = {
      ok: true,
      turn: {
        kind: 'completed',
        messageCount: 1,
        texts: ['hi'],
        decision: { kind: 'respond' },
        terminate: false,
        usage,
        warnings: [{ code: 'w', message: 'm', extra: 1 }],
      },
    };
    const output = turnOutputOf(legacy);
    expect(output).not.toBe(legacy);
    expect(
      output.ok && output.turn.kind === 'completed' && 'warnings' in output.turn && output.turn.warnings,
    ).toEqual([{ code: 'w', message: 'm' }]);
  });

  it('parses a result with a redeployed plan, which drops the fields an earlier plan had', () => {
    const { plan } = buildRunInput(customerSupport, { message: 'x', runId: 'run-1', mode: 'autonomous' });
    const output = turnOutputOf({
      ...completed,
      redeployed: { version: 'v2', plan: { ...plan, hasTerminationCondition: true } },
    });
    expect(output.ok && output.redeployed?.plan).toEqual(plan);
  });

  it('rejects what is not a turn result', () => {
    expect(() => turnOutputOf({ ok: true, turn: { kind: 'completed', events: 'x' } })).toThrow();
    expect(() => turnOutputOf(null)).toThrow();
  });
});
