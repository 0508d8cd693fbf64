/**
 * The stack-floor tool's arithmetic, without I/O: one block's figures per agent turn from its plain
 * runs, the model server's time on them and (for a hosted app) the hooked runs' tally; and ratios
 * between two subjects paired by round.
 */
import { type Stats, summarize } from '../measure/stats';
import type { FloorRun, FloorTally } from './floor-protocol';

/** One subject's figures in one round, per agent turn. */
export interface BlockFigures {
  /** Median over the plain runs of the process's CPU time (ms). */
  processCpu: number;
  /** (median wall time of the plain runs - the model server's mean time per run) / turns (ms). */
  overhead: number;
  /**
   * On the real engine only: the .NET engine process's CPU per turn (ms), the block's total over
   * its plain runs / runs / turns (a mean: /proc counts in 10 ms ticks, too coarse for one run).
   */
  engineCpu?: number;
  /** The rest only for a hosted app: the process CPU split by the hooked runs' busy-time shares. */
  app?: number;
  orchestrator?: number;
  activities?: number;
  http?: number;
  host?: number;
  client?: number;
  /** Requests the app sent, per turn: to storage, to the host (management API). */
  appStorageRequests?: number;
  appHostRequests?: number;
  /** Storage requests of the local host's engine per turn (Azurite storage only). */
  engineStorageRequests?: number;
  /** Request body bytes the app sent per turn, by destination (where the request announced it). */
  storageBytes?: number;
  modelBytes?: number;
}

function median(values: readonly number[]): number {
  return summarize(values).median;
}

function sum(record: Record<string, number>, keep: (key: string) => boolean): number {
  return Object.entries(record).reduce((total, [key, value]) => (keep(key) ? total + value : total), 0);
}

/**
 * A block's figures: `runs` plain runs (the model server spent `serverMs` on them together), and
 * for a hosted app the `tally` of as many hooked runs, each run `turns` agent turns. On the real
 * engine, `engineCpuMs` is the .NET engine's CPU over all the plain runs.
 */
export function blockFigures(
  runs: readonly FloorRun[],
  serverMs: number,
  turns: number,
  tally?: { value: FloorTally; runs: number },
  engineCpuMs?: number,
): BlockFigures {
  const processCpu = median(runs.map((run) => run.cpuMs)) / turns;
  const overhead = (median(runs.map((run) => run.wallMs)) - serverMs / runs.length) / turns;
  const engine = engineCpuMs === undefined ? {} : { engineCpu: engineCpuMs / runs.length / turns };
  if (tally === undefined) return { processCpu, overhead, ...engine };
  const { busyMs, requests } = tally.value;
  const busy = sum(busyMs, () => true);
  const share = (keep: (area: string) => boolean): number =>
    busy > 0 ? (processCpu * sum(busyMs, keep)) / busy : 0;
  const perTurn = (count: number): number => count / (tally.runs * turns);
  const appRequests = (kind: string): number =>
    Object.entries(requests).reduce(
      (total, [area, kinds]) => (area.startsWith('app:') ? total + (kinds[kind] ?? 0) : total),
      0,
    );
  return {
    processCpu,
    overhead,
    ...engine,
    app: share((area) => area.startsWith('app:')),
    orchestrator: share((area) => area === 'app:orchestrator'),
    activities: share((area) => area === 'app:activity'),
    http: share((area) => area === 'app:http' || area === 'app:other'),
    host: share((area) => area === 'host'),
    client: share((area) => area === 'client'),
    appStorageRequests: perTurn(appRequests('storage')),
    appHostRequests: perTurn(appRequests('host')),
    engineStorageRequests: perTurn(requests.host?.storage ?? 0),
    storageBytes: perTurn(tally.value.storageBytes),
    modelBytes: perTurn(tally.value.modelBytes),
  };
}

/** A figure of one subject by round. */
export type ByRound = ReadonlyMap<number, number>;

/** a / b in every round both have, summarized; `undefined` when they share no round. */
export function roundRatios(a: ByRound, b: ByRound): Stats | undefined {
  const ratios: number[] = [];
  for (const [round, value] of a) {
    const other = b.get(round);
    if (other !== undefined && other > 0) ratios.push(value / other);
  }
  return ratios.length === 0 ? undefined : summarize(ratios);
}

/** The byte length a request's headers announce (`content-length`): Node's or undici's form. */
export function announcedLength(headers: unknown): number {
  if (typeof headers === 'string') {
    return Number(/(?:^|\r\n)content-length:\s*(\d+)/i.exec(headers)?.[1] ?? 0);
  }
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === 'content-length') return Number(headers[i + 1]);
    }
  }
  return 0;
}
