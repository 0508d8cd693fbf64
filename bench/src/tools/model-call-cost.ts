/**
 * The client-side CPU of one model call as the agent-turn activity makes it (the app's
 * `loadChatModel`: the `openai` client and `fetch`, the stream read and assembled), against the
 * bench model server in a child process, so the server's own CPU is not counted. The calls are a
 * `handoff` run's two turns, streamed: the coordinator's handoff tool call and the shipping agent's
 * answer.
 *
 * Each `--dist DIR` is a build of the app (its `dist/`; by default this checkout's). With two or
 * more, their models are loaded side by side and measured interleaved in blocks, so the machine's
 * load falls on each alike (an A/B of two builds in one process). A build outside this checkout
 * must sit where Node finds this checkout's `node_modules` (e.g. a copy of `dist/` under it).
 *
 * @example
 * ```sh
 * cd bench && node --import tsx src/tools/model-call-cost.ts --calls 2000
 * cd bench && node --import tsx src/tools/model-call-cost.ts --calls 2000 --dist ../.ab/before --dist ../dist
 * cd bench && node --import tsx src/tools/model-call-cost.ts --provider azure --whole
 * ```
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { BENCH_API_KEY, BENCH_MODEL } from '../model-server/bench-model-server';
import { PROJECT_DIR } from '../ours/bench-app-host';
import { loadAverage } from '../report/machine-info';
import { HANDOFF_SCENARIO } from '../scenario/scenarios';
import { SUPPORT_AGENTS } from '../scenario/support-agents';
import { summarize } from '../measure/stats';

const BLOCK = 50;

/** The part of the app's model API this tool uses (stable across builds). */
interface ChatModel {
  generate(
    request: Record<string, unknown>,
    options?: { onTextDelta?: (delta: string) => void },
  ): Promise<{ message: unknown }>;
}
type LoadChatModel = (options: { env: Record<string, string>; log?: (line: string) => void }) => ChatModel;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function median(values: number[]): number {
  return summarize(values).median;
}

/** The two requests of a `handoff` run, as the agent-turn activity builds them. */
function handoffRequests(): Record<string, unknown>[] {
  return HANDOFF_SCENARIO.route.map((name) => {
    const agent = SUPPORT_AGENTS.find((candidate) => candidate.name === name)!;
    return {
      agentName: agent.name,
      instructions: agent.instructions,
      messages: [{ role: 'user', text: HANDOFF_SCENARIO.userMessage }],
      tools: agent.handoffs.map((to) => ({
        name: `handoff_to_${to}`,
        description: `Hand the conversation to ${to}.`,
        parameters: { type: 'object', properties: {}, additionalProperties: false },
      })),
    };
  });
}

async function startServerProcess(): Promise<{ baseUrl: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, '../model-server/model-server-process.ts')],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`the model server process exited with ${String(code)}`)));
  });
  const { baseUrl } = JSON.parse(first) as { baseUrl: string };
  return { baseUrl, stop: () => child.stdin.end() };
}

function modelEnv(provider: string, baseUrl: string): Record<string, string> {
  if (provider === 'azure') {
    return {
      AZURE_OPENAI_ENDPOINT: new URL(baseUrl).origin,
      AZURE_OPENAI_DEPLOYMENT: BENCH_MODEL,
      AZURE_OPENAI_API_KEY: BENCH_API_KEY,
    };
  }
  return { OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: BENCH_API_KEY, OPENAI_MODEL: BENCH_MODEL };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '1000' },
      dist: { type: 'string', multiple: true },
      provider: { type: 'string', default: 'openai' },
      whole: { type: 'boolean', default: false },
    },
  });
  const total = Number(values.calls);
  const dists = (values.dist ?? [resolve(PROJECT_DIR, 'dist')]).map((dist) => resolve(dist));
  const server = await startServerProcess();
  const loadStart = loadAverage();
  try {
    const env = modelEnv(values.provider, server.baseUrl);
    const models = dists.map((dist) => {
      const { loadChatModel } = createRequire(resolve(dist, 'package.json'))(
        resolve(dist, 'src/model/create-chat-model.js'),
      ) as { loadChatModel: LoadChatModel };
      return loadChatModel({ env });
    });
    const requests = handoffRequests();
    let deltas = 0;
    const options = values.whole ? {} : { onTextDelta: () => (deltas += 1) };
    const call = async (model: ChatModel, n: number) => {
      await model.generate(requests[n % requests.length]!, options);
    };
    // Warm-up: every build, so module loading and JIT are out of the figures.
    for (const model of models) for (let i = 0; i < 2 * BLOCK; i += 1) await call(model, i);
    const perBlock = models.map((): number[] => []);
    for (let done = 0; done < total; done += BLOCK) {
      for (const [index, model] of models.entries()) {
        const start = cpuMs();
        for (let i = 0; i < BLOCK; i += 1) await call(model, i);
        perBlock[index]!.push((cpuMs() - start) / BLOCK);
      }
    }
    const how = `${values.provider}, ${values.whole ? 'whole answers' : 'streamed'}`;
    for (const [index, blocks] of perBlock.entries()) {
      // Each block against the first build's block of the same round: the load falls on both alike.
      const paired =
        index === 0
          ? ''
          : `, ${median(blocks.map((ms, round) => ms / perBlock[0]![round]!)).toFixed(2)}x the first build's (median of paired blocks)`;
      console.log(
        `${dists[index]!} (${how}): client CPU per call median ${median(blocks).toFixed(3)} ms (min ${Math.min(...blocks).toFixed(3)}, max ${Math.max(...blocks).toFixed(3)}) over ${blocks.length} blocks of ${BLOCK}${paired}`,
      );
    }
    if (!values.whole && deltas === 0)
      throw new Error('no text arrived through onTextDelta: the calls did not stream');
    console.log(`load average: ${loadStart.join(' ')} at the start, ${loadAverage().join(' ')} at the end`);
  } finally {
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
