/**
 * The setup the engine tests share: the conformance fixture app's worker, started once for the
 * describe block that calls {@link useFixtureEngines}, and the engines a test makes on it, each
 * stopped after its test.
 */
import {
  createDurableEngine,
  type DurableEngine,
  type DurableEngineOptions,
} from '../../../../devhost/durable';
import { AppWorker } from '../../../../devhost/worker/app-worker';
import { FIXTURE_APP } from './engine-harness';

/** The wait condition of an instance that ran to its end. */
export const finished = (s: { runtimeStatus: string }): boolean =>
  ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus);

/** What {@link useFixtureEngines} gives a describe block. */
export interface FixtureEngines {
  /** The fixture app's worker (from `beforeAll` on). */
  worker(): AppWorker;
  /** An engine on `options` (the worker as its invoker unless given), stopped after the test. */
  engine(
    options: Omit<DurableEngineOptions, 'invoker' | 'baseUrl'> & Partial<DurableEngineOptions>,
  ): DurableEngine;
}

/** Registers the hooks: the worker starts before the block's tests, and its engines stop after each. */
export function useFixtureEngines(): FixtureEngines {
  let worker: AppWorker | undefined;
  const engines: DurableEngine[] = [];
  beforeAll(async () => {
    worker = await AppWorker.start({ appDir: FIXTURE_APP, log: () => undefined });
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
  });
  afterAll(async () => {
    await worker?.terminate();
  });
  const started = (): AppWorker => {
    if (worker === undefined) throw new Error('the fixture worker is used before beforeAll started it');
    return worker;
  };
  return {
    worker: started,
    engine(options) {
      const engine = createDurableEngine({
        invoker: started(),
        baseUrl: 'http://localhost:7071',
        ...options,
      });
      engines.push(engine);
      return engine;
    },
  };
}
