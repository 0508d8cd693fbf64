import { startHarness, type EngineHarness } from './support/engine-harness';

describe('smoke', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  it('runs an activity chain', async () => {
    const id = await h.engine.client.startNew('activityChain', { input: 'Ada', instanceId: 'chain-1' });
    const status = await h.finished(id);
    console.log(JSON.stringify(status), JSON.stringify(h.logs.filter((l) => l.level !== 'debug').slice(0, 20)));
    expect(status.output).toEqual(['Hello Ada 1', 'Hello Ada 2', 'Hello Ada 3']);
  });
});
