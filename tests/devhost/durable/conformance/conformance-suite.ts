import fs from 'node:fs';
import path from 'node:path';
import type { InstanceStore } from '../../../../devhost/durable';
import { startHarness, type EngineHarness } from '../support/engine-harness';
import { scenarios } from './scenarios';

/** Where recorded histories live; `RECORD_HISTORIES=1` rewrites them from the memory run. */
export const HISTORIES_DIR = path.join(__dirname, '../../../fixtures/histories/devhost');

/** A store for one suite, and how to dispose of it. */
export interface SuiteStore {
  store: InstanceStore;
  dispose(): Promise<void>;
}

/**
 * Runs every scenario against a fresh engine over the store `createStore` returns. With
 * `record`, and RECORD_HISTORIES=1, saves each scenario's recording as the reference history.
 */
export function describeConformance(
  label: string,
  createStore: () => Promise<SuiteStore>,
  record = false,
): void {
  describe(`durable conformance (${label} store)`, () => {
    let suiteStore: SuiteStore | undefined;
    let h: EngineHarness | undefined;

    beforeAll(async () => {
      suiteStore = await createStore();
      h = await startHarness(suiteStore.store);
    });

    afterAll(async () => {
      await h?.stop();
      await suiteStore?.dispose();
    });

    for (const scenario of scenarios) {
      it(scenario.title, async () => {
        const recorded = await scenario.run(h!, `${scenario.name}-${label}`);
        if (record && recorded !== undefined && process.env.RECORD_HISTORIES === '1') {
          const recording = await h!.engine.recording(recorded);
          fs.mkdirSync(HISTORIES_DIR, { recursive: true });
          fs.writeFileSync(
            path.join(HISTORIES_DIR, `${scenario.name}.json`),
            `${JSON.stringify(recording, null, 2)}\n`,
          );
        }
      });
    }
  });
}
