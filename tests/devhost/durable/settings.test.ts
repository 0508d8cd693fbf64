import { DEFAULT_DURABLE_SETTINGS, parseDurableSettings } from '../../../devhost/durable';

describe('parseDurableSettings', () => {
  it('uses the local host defaults when host.json has no durableTask section', () => {
    expect(parseDurableSettings({ version: '2.0' }, {})).toEqual(DEFAULT_DURABLE_SETTINGS);
  });

  it('reads the concurrency limits and resolves the hub name from an app setting', () => {
    const settings = parseDurableSettings(
      {
        extensions: {
          durableTask: {
            hubName: '%TASK_HUB%',
            maxConcurrentActivityFunctions: 2,
            maxConcurrentOrchestratorFunctions: 7,
            storageProvider: { controlQueueBatchSize: 16 },
          },
        },
      },
      { TASK_HUB: 'MyHub' },
    );
    expect(settings).toMatchObject({
      hubName: 'MyHub',
      maxConcurrentActivityFunctions: 2,
      maxConcurrentOrchestratorFunctions: 7,
      controlQueueBatchSize: 16,
    });
  });

  it('reads defaultVersion', () => {
    expect(
      parseDurableSettings({ extensions: { durableTask: { defaultVersion: '2.1' } } }, {}).defaultVersion,
    ).toBe('2.1');
    expect(parseDurableSettings({ version: '2.0' }, {}).defaultVersion).toBeUndefined();
  });

  it('names the app setting to set when the hub name refers to a missing one', () => {
    expect(() => parseDurableSettings({ extensions: { durableTask: { hubName: '%NOPE%' } } }, {})).toThrow(
      'host.json extensions.durableTask.hubName refers to %NOPE%, which is not set. Set NOPE in local.settings.json "Values" or in the environment.',
    );
  });

  it('rejects a zero concurrency limit and an invalid hub name with the rule to follow', () => {
    expect(() =>
      parseDurableSettings({ extensions: { durableTask: { maxConcurrentActivityFunctions: 0 } } }, {}),
    ).toThrow(/maxConcurrentActivityFunctions/);
    expect(() => parseDurableSettings({ extensions: { durableTask: { hubName: 'my-hub' } } }, {})).toThrow(
      'Task hub name "my-hub" is invalid: use 3 to 45 letters and digits, starting with a letter.',
    );
  });
});
