import { disabledFunctions } from '../../../devhost/config/disabled-functions';

describe('AzureWebJobs.<name>.Disabled', () => {
  it('disables a function whose setting is true (any case) or 1, matching its name case-insensitively', () => {
    const names = ['Hello', 'echo', 'other', 'off', 'linux'];
    const env = {
      'AzureWebJobs.hello.Disabled': 'TRUE',
      'AzureWebJobs.Echo.Disabled': '1',
      'AzureWebJobs.off.Disabled': 'false',
      AzureWebJobs__linux__Disabled: 'true',
      'AzureWebJobs.unknown.Disabled': 'true',
    };
    expect([...disabledFunctions(names, env)].sort()).toEqual(['Hello', 'echo']);
  });
});
