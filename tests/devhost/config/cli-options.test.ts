import path from 'node:path';
import { parseCliArgs } from '../../../devhost/config/cli-options';

describe('parseCliArgs', () => {
  const cwd = '/work/project';

  it('defaults to the current folder, Azurite storage and information logging', () => {
    expect(parseCliArgs([], {}, cwd)).toEqual({
      help: false,
      appDir: cwd,
      storage: 'azurite',
      logLevel: 'information',
    });
  });

  it('resolves --app and --data against the working folder and reads every option', () => {
    expect(
      parseCliArgs(
        ['--app', 'app', '--port', '8080', '--data', 'state', '--storage', 'memory', '--log-level', 'debug'],
        {},
        cwd,
      ),
    ).toEqual({
      help: false,
      appDir: path.join(cwd, 'app'),
      port: 8080,
      dataDir: path.join(cwd, 'state'),
      storage: 'memory',
      logLevel: 'debug',
    });
  });

  it('reads --open-management, off unless given', () => {
    expect(parseCliArgs(['--open-management'], {}, cwd).openManagement).toBe(true);
    expect(parseCliArgs([], {}, cwd).openManagement).toBeUndefined();
  });

  it('takes PORT when --port is absent, and --port over PORT', () => {
    expect(parseCliArgs([], { PORT: '9000' }, cwd).port).toBe(9000);
    expect(parseCliArgs(['--port', '0'], { PORT: '9000' }, cwd).port).toBe(0);
  });

  it('rejects a bad PORT naming the variable', () => {
    expect(() => parseCliArgs([], { PORT: '70000' }, cwd)).toThrow(
      'PORT is "70000"; use a whole number from 0 to 65535',
    );
  });

  it('rejects unknown options and log levels with the allowed values', () => {
    expect(() => parseCliArgs(['--verbose'], {}, cwd)).toThrow(/Unknown option '--verbose'/);
    expect(() => parseCliArgs(['--log-level', 'info'], {}, cwd)).toThrow(
      '--log-level is "info"; use one of: trace, debug, information, warning, error, critical, none.',
    );
  });
});
