import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { appDirWithConcurrency, shippedConcurrency } from '../../src/ours/app-dir-with-concurrency';
import { APP_DIR, PROJECT_DIR } from '../../src/ours/bench-app-host';

describe('app folder with raised durable limits', () => {
  it('reads the limits the app ships with from its host.json', async () => {
    const shipped = JSON.parse(readFileSync(join(APP_DIR, 'host.json'), 'utf8')) as {
      extensions: { durableTask: Record<string, unknown> };
    };

    await expect(shippedConcurrency()).resolves.toEqual({
      maxConcurrentActivityFunctions: shipped.extensions.durableTask.maxConcurrentActivityFunctions,
      maxConcurrentOrchestratorFunctions: shipped.extensions.durableTask.maxConcurrentOrchestratorFunctions,
    });
  });

  it('changes only the two limits and links the same compiled app and packages, then removes itself', async () => {
    const copy = await appDirWithConcurrency({
      maxConcurrentActivityFunctions: 200,
      maxConcurrentOrchestratorFunctions: 150,
    });
    try {
      const original = JSON.parse(readFileSync(join(APP_DIR, 'host.json'), 'utf8')) as {
        extensions: { durableTask: Record<string, unknown> };
      };
      const rewritten = JSON.parse(readFileSync(join(copy.dir, 'host.json'), 'utf8')) as typeof original;

      expect(rewritten).toEqual({
        ...original,
        extensions: {
          ...original.extensions,
          durableTask: {
            ...original.extensions.durableTask,
            maxConcurrentActivityFunctions: 200,
            maxConcurrentOrchestratorFunctions: 150,
          },
        },
      });
      expect(readFileSync(join(copy.dir, 'package.json'), 'utf8')).toBe(
        readFileSync(join(APP_DIR, 'package.json'), 'utf8'),
      );
      expect(realpathSync(join(copy.dir, 'dist'))).toBe(realpathSync(join(APP_DIR, 'dist')));
      // The app resolves its packages from the repository's node_modules (sample/ has none of its own
      // on a clean clone).
      expect(realpathSync(join(copy.dir, 'node_modules'))).toBe(
        realpathSync(join(PROJECT_DIR, 'node_modules')),
      );
    } finally {
      await copy.remove();
    }
    expect(existsSync(copy.dir)).toBe(false);
  });
});
