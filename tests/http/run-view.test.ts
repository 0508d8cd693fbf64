import { buildRunInput } from '../../src/durable/start-handoff-run';
import type { RunStatus } from '../../src/durable/wire/run-status';
import type { RunInstanceStatus, RunManagementClient } from '../../src/http/run-management-client';
import { loadRun } from '../../src/http/run-view';
import { customerSupport } from '../../sample/src/workflows/customer-support';

const input = buildRunInput(customerSupport, { message: 'Hi', runId: 'run-1', mode: 'human_in_loop' });
const waiting: RunStatus = {
  v: 1,
  workflow: 'customer_support',
  state: 'awaiting_input',
  activeAgent: 'refund_agent',
  turn: 2,
  pendingRequest: { requestId: 'q1', agent: 'refund_agent', prompt: 'Which order?' },
  lastSeq: 14,
  handoffs: 1,
  generation: 1,
};

/** A stand-in for the Durable client that answers like it and records each status read. */
function client(instance: Omit<RunInstanceStatus, 'input'>): RunManagementClient & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    startNew: () => Promise.reject(new Error('not used')),
    raiseEvent: () => Promise.reject(new Error('not used')),
    getStatus: (instanceId, options) => {
      reads.push(options?.showInput ? `${instanceId} with input` : instanceId);
      return Promise.resolve({ ...instance, input: options?.showInput ? input : null });
    },
  };
}

describe('loadRun', () => {
  it("reads the run's workflow from its custom status, without its input", async () => {
    const durable = client({ runtimeStatus: 'Running', customStatus: waiting, output: null });
    const view = await loadRun(durable, 'customer_support', 'run-1');
    expect(view).toMatchObject({ state: 'awaiting_input', activeAgent: 'refund_agent' });
    expect(durable.reads).toEqual(['run-1']);
  });

  it("answers not found for a run read through another workflow's route", async () => {
    const durable = client({ runtimeStatus: 'Running', customStatus: waiting, output: null });
    await expect(loadRun(durable, 'other_flow', 'run-1')).rejects.toMatchObject({
      status: 404,
      code: 'run_not_found',
    });
    expect(durable.reads).toEqual(['run-1']);
  });

  it('reads the input only before the run has a custom status (its first step has not run)', async () => {
    const durable = client({ runtimeStatus: 'Pending', customStatus: null, output: null });
    const view = await loadRun(durable, 'customer_support', 'run-1');
    expect(view).toMatchObject({ state: 'running', activeAgent: 'coordinator_agent' });
    expect(durable.reads).toEqual(['run-1', 'run-1 with input']);
    await expect(
      loadRun(client({ runtimeStatus: 'Pending', customStatus: null, output: null }), 'other_flow', 'run-1'),
    ).rejects.toMatchObject({ status: 404 });
  });
});
