import { BenchError } from '../../src/bench-error';
import { checkModelRequests, checkOutcome } from '../../src/measure/check-run';
import { CHAIN_SCENARIO, HANDOFF_SCENARIO } from '../../src/scenario/scenarios';

describe('run checks', () => {
  it('accepts a run that ends with the specialist answer after the scenario’s turns', () => {
    expect(() =>
      checkOutcome('peer', HANDOFF_SCENARIO, {
        finalAnswer: `${HANDOFF_SCENARIO.finalAnswer}\n`,
        lastAgent: 'shipping_agent',
        agentTurns: 2,
      }),
    ).not.toThrow();
  });

  it('stops the bench naming every difference when a run ends elsewhere', () => {
    const check = () =>
      checkOutcome('peer', CHAIN_SCENARIO, {
        finalAnswer: 'Sorry?',
        lastAgent: 'refund_agent',
        agentTurns: 2,
      });

    expect(check).toThrow(BenchError);
    expect(check).toThrow(
      'peer did not do scenario \'chain\': final answer "Sorry?", expected ' +
        `${JSON.stringify(CHAIN_SCENARIO.finalAnswer)}; last agent refund_agent, expected senior_technical_agent; ` +
        '2 agent turns, expected 4.',
    );
  });

  it('stops the bench when a batch made more model requests than its runs need', () => {
    expect(() => checkModelRequests('peer', HANDOFF_SCENARIO, 3, 7)).toThrow(
      "peer made 7 model request(s) for 3 run(s) of scenario 'handoff', expected 6 (2 per run: coordinator_agent -> shipping_agent).",
    );
    expect(() => checkModelRequests('peer', HANDOFF_SCENARIO, 3, 6)).not.toThrow();
  });
});
