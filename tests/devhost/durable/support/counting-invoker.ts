import type { FunctionInvoker } from '../../../../devhost/contracts';

/** Concurrency observed by {@link countingInvoker}. */
export interface OrchestratorConcurrency {
  /** Most orchestrator invocations in flight at once. */
  max: number;
  /** Most invocations of one instance in flight at once. */
  maxPerInstance: number;
  invocations: number;
}

/**
 * Wraps the real worker and counts orchestrator invocations in flight. Each invocation is held
 * until `holdUntil` orchestrator invocations run at once or `total` have started, so an engine
 * that ran more at once than it should would show it in `max`.
 */
export function countingInvoker(
  inner: FunctionInvoker,
  holdUntil: number,
  total: number,
): { invoker: FunctionInvoker; stats: OrchestratorConcurrency } {
  const stats: OrchestratorConcurrency = { max: 0, maxPerInstance: 0, invocations: 0 };
  let active = 0;
  const perInstance = new Map<string, number>();
  let waiters: Array<() => void> = [];
  const notify = (): void => {
    const current = waiters;
    waiters = [];
    for (const check of current) check();
  };
  const invoker: FunctionInvoker = {
    list: () => inner.list(),
    get: (name) => inner.get(name),
    async invoke(name, inputData, options) {
      if (inner.get(name)?.triggerType !== 'orchestrationTrigger')
        return inner.invoke(name, inputData, options);
      const payload = JSON.parse(inputData[0]?.data.string ?? '{}') as { instanceId: string };
      stats.invocations += 1;
      active += 1;
      const mine = (perInstance.get(payload.instanceId) ?? 0) + 1;
      perInstance.set(payload.instanceId, mine);
      stats.max = Math.max(stats.max, active);
      stats.maxPerInstance = Math.max(stats.maxPerInstance, mine);
      notify();
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (active >= holdUntil || stats.invocations >= total) resolve();
          else waiters.push(check);
        };
        check();
      });
      try {
        return await inner.invoke(name, inputData, options);
      } finally {
        active -= 1;
        perInstance.set(payload.instanceId, (perInstance.get(payload.instanceId) ?? 1) - 1);
        notify();
      }
    },
  };
  return { invoker, stats };
}
