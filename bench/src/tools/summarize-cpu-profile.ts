/**
 * Prints the summary of V8 CPU profiles (`node --cpu-prof`): self time by area and by function,
 * inclusive time by function, as shares of the busy (non-idle) time.
 *
 * @example
 * ```sh
 * node --import tsx src/tools/summarize-cpu-profile.ts /tmp/prof/CPU.*.cpuprofile [--limit 40] [--per N]
 * ```
 * With `--per N`, times are also divided by N (e.g. the number of runs profiled). With
 * `--callers TEXT [--depth N]`, prints instead who causes the time under frames whose label
 * contains TEXT (e.g. `writev`, `createSocket`), by the nearest frames outside Node's internals.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { callersOf, CpuProfileSchema, type ProfileLine, summarizeCpuProfile } from './cpu-profile-summary';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    limit: { type: 'string', default: '30' },
    per: { type: 'string', default: '1' },
    callers: { type: 'string' },
    depth: { type: 'string', default: '1' },
  },
});
const per = Number(values.per);

function print(title: string, lines: readonly ProfileLine[]): void {
  console.log(`\n${title}`);
  for (const line of lines) {
    const perRun = per > 1 ? ` ${(line.ms / per).toFixed(3).padStart(8)} ms/run` : '';
    console.log(
      `${line.ms.toFixed(1).padStart(9)} ms ${(line.share * 100).toFixed(1).padStart(5)} %${perRun}  ${line.label}`,
    );
  }
}

for (const file of positionals) {
  const profile = CpuProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (values.callers !== undefined) {
    print(
      `${file}: time under frames matching '${values.callers}', by the nearest caller outside Node's internals`,
      callersOf(profile, values.callers, Number(values.limit), Number(values.depth)),
    );
    continue;
  }
  const summary = summarizeCpuProfile(profile, Number(values.limit));
  console.log(
    `${file}: ${summary.totalMs.toFixed(0)} ms profiled, ${summary.busyMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle`,
  );
  print('self time by area', summary.selfByArea);
  print('self time by function', summary.selfByFunction);
  print('inclusive time by function', summary.inclusiveByFunction);
}
