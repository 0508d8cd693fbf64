/**
 * Prints what a V8 heap snapshot (`profile-ours.ts --heap-snapshot`, `v8.writeHeapSnapshot`) holds:
 * live bytes (self size) and object counts by kind (node type and constructor or function name),
 * largest first. With a second snapshot (`--base FILE`), the difference of each kind from it: e.g.
 * the snapshot taken with a batch's runs in flight against the one taken after the batch, which is
 * what the runs in flight hold. With `--per N`, bytes are also divided by N (e.g. the runs in
 * flight).
 *
 * @example
 * ```sh
 * node --import tsx src/tools/summarize-heap-snapshot.ts /tmp/h.heapsnapshot --base /tmp/h.heapsnapshot.after --per 200
 * ```
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const SnapshotSchema = z.object({
  snapshot: z.object({
    meta: z.object({
      node_fields: z.array(z.string()),
      node_types: z.array(z.unknown()),
    }),
  }),
  nodes: z.array(z.number()),
  strings: z.array(z.string()),
});

/** Live bytes and object count per kind. */
type Kinds = Map<string, { bytes: number; count: number }>;

/** Node types whose name is a constructor or function name (the others are grouped by type alone). */
const NAMED_TYPES = new Set(['object', 'closure', 'native', 'synthetic']);

function kindsOf(path: string): { kinds: Kinds; total: number } {
  const parsed = SnapshotSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const fields = parsed.snapshot.meta.node_fields;
  const types = parsed.snapshot.meta.node_types[0];
  if (!Array.isArray(types)) throw new Error(`${path}: meta.node_types[0] is not the list of node types`);
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const kinds: Kinds = new Map();
  let total = 0;
  for (let i = 0; i < parsed.nodes.length; i += stride) {
    const type = String(types[parsed.nodes[i + typeAt] ?? 0]);
    const size = parsed.nodes[i + sizeAt] ?? 0;
    const name = parsed.strings[parsed.nodes[i + nameAt] ?? 0] ?? '';
    const kind = NAMED_TYPES.has(type) ? `${type} ${name.slice(0, 60)}` : type;
    const entry = kinds.get(kind) ?? { bytes: 0, count: 0 };
    entry.bytes += size;
    entry.count += 1;
    kinds.set(kind, entry);
    total += size;
  }
  return { kinds, total };
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    base: { type: 'string' },
    limit: { type: 'string', default: '40' },
    per: { type: 'string', default: '1' },
  },
});
const [file] = positionals;
if (file === undefined)
  throw new Error('usage: summarize-heap-snapshot.ts FILE [--base FILE] [--per N] [--limit N]');
const per = Number(values.per);
const limit = Number(values.limit);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;
const perLabel = (bytes: number) =>
  per === 1 ? '' : `  ${(bytes / per / 1024).toFixed(1).padStart(8)} KB per`;

const main = kindsOf(file);
const base = values.base === undefined ? undefined : kindsOf(values.base);
console.log(
  `${file}: ${mb(main.total)} live${base === undefined ? '' : `; ${values.base}: ${mb(base.total)}`}`,
);
const rows = [...main.kinds.entries()].map(([kind, { bytes, count }]) => {
  const before = base?.kinds.get(kind);
  return {
    kind,
    bytes,
    count,
    deltaBytes: bytes - (before?.bytes ?? 0),
    deltaCount: count - (before?.count ?? 0),
  };
});
if (base !== undefined) {
  for (const [kind, before] of base.kinds) {
    if (!main.kinds.has(kind)) {
      rows.push({ kind, bytes: 0, count: 0, deltaBytes: -before.bytes, deltaCount: -before.count });
    }
  }
  console.log(
    `\nlargest differences (${mb(main.total - base.total)} in all${perLabel(main.total - base.total)}):`,
  );
  for (const row of [...rows].sort((a, b) => b.deltaBytes - a.deltaBytes).slice(0, limit)) {
    console.log(
      `${mb(row.deltaBytes).padStart(10)} ${String(row.deltaCount).padStart(8)} objects${perLabel(row.deltaBytes)}  ${row.kind}`,
    );
  }
}
console.log(`\nlargest kinds:`);
for (const row of [...rows].sort((a, b) => b.bytes - a.bytes).slice(0, limit)) {
  console.log(
    `${mb(row.bytes).padStart(10)} ${String(row.count).padStart(8)} objects${perLabel(row.bytes)}  ${row.kind}`,
  );
}
