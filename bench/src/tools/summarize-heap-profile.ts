/**
 * Prints the summary of a V8 sampling heap profile (`profile-ours.ts --heap-prof`, or a
 * `.heapprofile` of `node --heap-prof`): bytes allocated by area (package or source folder), by the
 * nearest frame outside Node's internals, and inclusive by function (each sample counted once per
 * function on its stack).
 *
 * @example
 * ```sh
 * node --import tsx src/tools/summarize-heap-profile.ts /tmp/ours.heapprofile [--limit 40] [--per 400]
 * ```
 * With `--per N`, bytes are also divided by N (e.g. the number of runs profiled).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { areaOf, frameLabel } from './cpu-profile-summary';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: HeapNode[];
}

const HeapNodeSchema: z.ZodType<HeapNode> = z.lazy(() =>
  z.object({
    callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    selfSize: z.number(),
    children: z.array(HeapNodeSchema).optional(),
  }),
);
const HeapProfileSchema = z.object({ head: HeapNodeSchema });

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { limit: { type: 'string', default: '30' }, per: { type: 'string', default: '1' } },
});
const per = Number(values.per);
const limit = Number(values.limit);

function print(title: string, map: Map<string, number>, total: number): void {
  console.log(`\n${title}`);
  for (const [name, bytes] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    const mb = bytes / 2 ** 20;
    const perRun = per > 1 ? ` ${(bytes / per / 1024).toFixed(1).padStart(8)} KB/run` : '';
    console.log(
      `${mb.toFixed(1).padStart(8)} MB ${((bytes / total) * 100).toFixed(1).padStart(5)} %${perRun}  ${name}`,
    );
  }
}

for (const file of positionals) {
  const { head } = HeapProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const byArea = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  const add = (map: Map<string, number>, key: string, bytes: number) =>
    map.set(key, (map.get(key) ?? 0) + bytes);
  const walk = (node: HeapNode, stack: HeapNode['callFrame'][]) => {
    const frames = [...stack, node.callFrame];
    if (node.selfSize > 0) {
      total += node.selfSize;
      add(byArea, areaOf(node.callFrame.url, node.callFrame.functionName), node.selfSize);
      const owner = [...frames].reverse().find((frame) => frame.url !== '' && !frame.url.startsWith('node:'));
      add(byOwner, owner === undefined ? frameLabel(node.callFrame) : frameLabel(owner), node.selfSize);
      for (const name of new Set(frames.map(frameLabel))) add(inclusive, name, node.selfSize);
    }
    for (const child of node.children ?? []) walk(child, frames);
  };
  walk(head, []);
  console.log(`${file}: ${(total / 2 ** 20).toFixed(1)} MB allocated (sampled)`);
  print('by area of the allocating frame', byArea, total);
  print('by the nearest frame outside Node', byOwner, total);
  print('inclusive by function', inclusive, total);
}
