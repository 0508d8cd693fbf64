/**
 * Summaries of a V8 CPU profile (`node --cpu-prof`): self time by function and by area (package or
 * source folder), and inclusive time by function (each sample counted once per function on its
 * stack, so recursion does not count twice). Pure: it reads the parsed profile only.
 */
import { z } from 'zod';

const CallFrameSchema = z.object({
  functionName: z.string(),
  url: z.string(),
  lineNumber: z.number(),
  columnNumber: z.number(),
});

/** The parts of a `.cpuprofile` file the summary reads. */
export const CpuProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: CallFrameSchema,
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
/** A parsed CPU profile. */
export type CpuProfile = z.infer<typeof CpuProfileSchema>;

/** One line of a summary. */
export interface ProfileLine {
  label: string;
  ms: number;
  /** Share of the profile's busy time (everything but `(idle)`), 0..1. */
  share: number;
}

/** A profile's summary. */
export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  selfByArea: ProfileLine[];
  selfByFunction: ProfileLine[];
  inclusiveByFunction: ProfileLine[];
}

/**
 * The area of a script URL: `node:internal` for Node's own code, the package name under
 * `node_modules`, else the path under the repository's `dist/` or `bench/` folder (two levels).
 */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  for (const root of ['/dist/', '/bench/']) {
    const at = url.lastIndexOf(root);
    if (at >= 0) {
      const parts = url.slice(at + 1).split('/');
      return parts.slice(0, Math.min(3, parts.length - 1)).join('/');
    }
  }
  return url;
}

/**
 * A frame's label: its function, and its script as a path under `node_modules`, `dist/` or
 * `bench/src/` (else the whole path) with its line, for CPU and heap profiles alike.
 */
export function frameLabel(frame: { functionName: string; url: string; lineNumber: number }): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const modules = frame.url.lastIndexOf('/node_modules/');
  const dist = Math.max(frame.url.lastIndexOf('/dist/'), frame.url.lastIndexOf('/bench/src/'));
  const short =
    modules >= 0
      ? frame.url.slice(modules + '/node_modules/'.length)
      : dist >= 0
        ? frame.url.slice(dist + 1)
        : frame.url.replace(/^file:\/\//, '');
  return `${name} ${short}:${frame.lineNumber + 1}`;
}

function top(map: Map<string, number>, busyMs: number, limit: number): ProfileLine[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([label, ms]) => ({ label, ms, share: busyMs > 0 ? ms / busyMs : 0 }));
}

/**
 * Who causes the time spent under frames whose label contains `focus`: for each such sample, the
 * nearest frame outside Node's internals and outside the focus that is above the focused frame (e.g.
 * the library that opened the socket; for `zod/`, the code that asked zod to parse), with the time
 * under it. `depth` > 1 joins that many such frames, outermost last.
 */
export function callersOf(profile: CpuProfile, focus: string, limit = 25, depth = 1): ProfileLine[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map<string, number>();
  let busyMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    busyMs += ms;
    let focused = false;
    const callers: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame === undefined) break;
      const label = frameLabel(frame);
      if (!focused) {
        focused = label.includes(focus);
        continue;
      }
      if (frame.url === '' || frame.url.startsWith('node:') || label.includes(focus)) continue;
      callers.push(label);
      if (callers.length >= depth) break;
    }
    if (!focused) return;
    const key = callers.length > 0 ? callers.join(' <- ') : '(no caller outside node internals)';
    totals.set(key, (totals.get(key) ?? 0) + ms);
  });
  return top(totals, busyMs, limit);
}

/** Summarizes `profile`, keeping the `limit` largest lines of each list. */
export function summarizeCpuProfile(profile: CpuProfile, limit = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfByArea = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idleMs = 0;
  let totalMs = 0;
  profile.samples.forEach((id, index) => {
    // timeDeltas[i] is the time before sample i; attribute it to that sample.
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    totalMs += ms;
    const node = byId.get(id);
    if (node === undefined) return;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    const area = areaOf(frame.url, frame.functionName);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + ms);
    const label = frameLabel(frame);
    selfByFunction.set(label, (selfByFunction.get(label) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const onStack = byId.get(at);
      if (onStack === undefined) break;
      const stackLabel = frameLabel(onStack.callFrame);
      if (seen.has(stackLabel)) continue;
      seen.add(stackLabel);
      inclusive.set(stackLabel, (inclusive.get(stackLabel) ?? 0) + ms);
    }
  });
  const busyMs = totalMs - idleMs;
  return {
    totalMs,
    idleMs,
    busyMs,
    selfByArea: top(selfByArea, busyMs, limit),
    selfByFunction: top(selfByFunction, busyMs, limit),
    inclusiveByFunction: top(inclusive, busyMs, limit),
  };
}
