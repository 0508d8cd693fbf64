import { OrchestrationInputReader } from '../../../src/durable/orchestrator/orchestration-input-reader';
import { buildRunInput } from '../../../src/durable/start-handoff-run';
import { customerSupport } from '../../../sample/src/workflows/customer-support';

/** The input as an episode is handed it: a fresh object parsed from the payload each time. */
const handed = (input: unknown): unknown => JSON.parse(JSON.stringify(input));

describe('OrchestrationInputReader', () => {
  const input = buildRunInput(customerSupport, { message: 'help', runId: 'run-1', mode: 'autonomous' });

  it('reuses the parse of an execution for every later episode handed the same input', () => {
    const reader = new OrchestrationInputReader();
    const first = reader.read(handed(input));
    const again = reader.read(handed(input));
    expect(first.success).toBe(true);
    expect(again).toBe(first);
  });

  it('parses again for another input (the instance continued as new), and keeps both', () => {
    const reader = new OrchestrationInputReader();
    const first = reader.read(handed(input));
    const next = reader.read(handed({ ...input, replyTimeoutMs: input.replyTimeoutMs + 1 }));
    expect(next).not.toBe(first);
    expect(next.data?.replyTimeoutMs).toBe(input.replyTimeoutMs + 1);
    expect(reader.read(handed(input))).toBe(first);
  });

  it('drops fields an earlier build pinned, as the schema does, on every episode', () => {
    const reader = new OrchestrationInputReader();
    const pinned = { ...input, plan: { ...input.plan, participants: ['a'] } };
    for (let episode = 0; episode < 2; episode += 1) {
      const read = reader.read(handed(pinned));
      expect(read.data?.plan).toEqual(input.plan);
    }
  });

  it('rejects an invalid input on every episode', () => {
    const reader = new OrchestrationInputReader();
    for (let episode = 0; episode < 2; episode += 1) {
      expect(reader.read(handed({ ...input, messages: [] })).success).toBe(false);
    }
  });

  it('forgets the least recently read input beyond its capacity', () => {
    const reader = new OrchestrationInputReader(2);
    const first = reader.read(handed(input));
    const second = reader.read(handed({ ...input, runId: 'run-2' }));
    expect(reader.read(handed(input))).toBe(first); // run-1 is now the most recent
    reader.read(handed({ ...input, runId: 'run-3' })); // run-2 goes
    expect(reader.read(handed(input))).toBe(first);
    expect(reader.read(handed({ ...input, runId: 'run-2' }))).not.toBe(second);
  });
});
