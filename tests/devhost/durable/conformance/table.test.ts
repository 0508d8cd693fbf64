import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTableStore, startAzurite } from '../../../../devhost/durable';
import { describeConformance } from './conformance-suite';

describeConformance('table', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-conformance-'));
  const azurite = await startAzurite({ location: dir, inMemory: true });
  const store = await createTableStore({
    connectionString: azurite.connectionString,
    hubName: 'ConformanceHub',
  });
  return {
    store,
    async dispose() {
      await store.close();
      await azurite.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
