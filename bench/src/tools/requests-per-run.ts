/**
 * Lists the HTTP requests of one `handoff` run of durable-handoff on the local host, in order, with
 * whose code sent them (the app's orchestrator, activities or HTTP functions, the host, the bench
 * client) and where they went: what the cost split's request counts are made of.
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/requests-per-run.ts --storage memory
 * ```
 */
import { parseArgs } from 'node:util';
import { runOursOnce } from '../frameworks/durable-handoff';
import { runCharged, startCostAttribution } from '../ours/cost-attribution';
import { HANDOFF_SCENARIO } from '../scenario/scenarios';
import { withChargedApp } from './charged-app';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { storage: { type: 'string', default: 'memory' } } });
  const storage = values.storage === 'azurite' ? 'azurite' : 'memory';
  await withChargedApp({ storage, label: 'requests-per-run' }, async (app, { classify }) => {
    const run = () => runCharged('client', () => runOursOnce(app, HANDOFF_SCENARIO));
    await run();
    const lines: string[] = [];
    const attribution = startCostAttribution({
      ...classify,
      onRequest: (area, kind, method, path) =>
        lines.push(`${area.padEnd(17)} ${kind.padEnd(8)} ${method.padEnd(6)} ${decodeURIComponent(path)}`),
    });
    await run();
    attribution.stop();
    console.log(lines.join('\n'));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
