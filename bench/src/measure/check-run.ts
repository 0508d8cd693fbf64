/**
 * Checks that a run did the scenario's work. A framework that answers wrongly, stops early, or
 * calls the model more or less often than the scenario needs is not measured: the bench stops.
 */
import { BenchError } from '../bench-error';
import type { RunOutcome } from '../frameworks/framework-under-test';
import type { Scenario } from '../scenario/scenarios';

/** Throws a `BenchError` naming every way `outcome` differs from what `scenario` expects. */
export function checkOutcome(framework: string, scenario: Scenario, outcome: RunOutcome): void {
  const problems: string[] = [];
  if (outcome.finalAnswer.trim() !== scenario.finalAnswer) {
    problems.push(
      `final answer ${JSON.stringify(outcome.finalAnswer.slice(0, 200))}, expected ${JSON.stringify(scenario.finalAnswer)}`,
    );
  }
  const lastAgent = scenario.route[scenario.route.length - 1];
  if (outcome.lastAgent !== lastAgent)
    problems.push(`last agent ${outcome.lastAgent}, expected ${lastAgent}`);
  if (outcome.agentTurns !== scenario.route.length) {
    problems.push(`${outcome.agentTurns} agent turns, expected ${scenario.route.length}`);
  }
  if (problems.length > 0) {
    throw new BenchError(
      'run_mismatch',
      `${framework} did not do scenario '${scenario.name}': ${problems.join('; ')}.`,
    );
  }
}

/** Throws a `BenchError` unless `runs` runs of `scenario` made exactly the model requests they need. */
export function checkModelRequests(
  framework: string,
  scenario: Scenario,
  runs: number,
  modelRequests: number,
): void {
  const expected = runs * scenario.route.length;
  if (modelRequests !== expected) {
    throw new BenchError(
      'run_mismatch',
      `${framework} made ${modelRequests} model request(s) for ${runs} run(s) of scenario '${scenario.name}', ` +
        `expected ${expected} (${scenario.route.length} per run: ${scenario.route.join(' -> ')}).`,
    );
  }
}
