import type { Scenario } from '../scenario';
import { activityScenarios } from './activity-scenarios';
import { clientScenarios } from './client-scenarios';
import { eventScenarios } from './event-scenarios';
import { lifecycleScenarios } from './lifecycle-scenarios';

/** Every conformance scenario, defined once and run against each store. */
export const scenarios: Scenario[] = [
  ...activityScenarios,
  ...eventScenarios,
  ...lifecycleScenarios,
  ...clientScenarios,
];
