import type { RunStatusResponse } from '../../src/client/api-schemas';
import { startAppHost, type AppHost } from '../support/app-host';
import { compileStrictly, loadAsModule, readmeTsBlock } from '../support/readme-snippet';
import { REFUND_ANSWER, REFUND_QUESTION, SHIPPING_ANSWER, articleSteps } from './support/dialogues';

/**
 * Loads the snippet with this test's `process` (jest gives each test file its own copy, whose env
 * the snippet must read) and a console whose lines go to `printed`.
 */
function loadSnippet(code: string, printed: string[]): Record<string, unknown> {
  return loadAsModule(code, { process, console: { log: (line: string) => printed.push(line) } });
}

describe('the README TypeScript client snippet', () => {
  const code = readmeTsBlock('## TypeScript client');
  let app: AppHost | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    delete process.env.HANDOFF_BASE_URL;
  });

  it('compiles in strict mode without a single diagnostic', () => {
    const { report, statements } = compileStrictly(code);
    expect(report).toBe('');
    expect(statements).toBeGreaterThan(3);
  });

  it("prints the article's run and answers a refund dialogue against the app", async () => {
    app = await startAppHost({
      model: {
        steps: [
          ...articleSteps(),
          // The answer comes in pieces 20 ms apart, so its preview shows it growing.
          ...articleSteps().map((step) =>
            step.agent === 'shipping_agent'
              ? { ...step, reply: { text: SHIPPING_ANSWER, stream: { chunkDelayMs: 20 } } }
              : step,
          ),
          { agent: 'coordinator_agent', reply: { toolCalls: [{ name: 'handoff_to_refund_agent' }] } },
          { agent: 'refund_agent', reply: { text: REFUND_QUESTION } },
          {
            agent: 'refund_agent',
            reply: { toolCalls: [{ name: 'issue_refund', arguments: { orderId: '12345', amount: 49.9 } }] },
          },
          { agent: 'refund_agent', reply: { text: REFUND_ANSWER } },
        ],
      },
    });
    process.env.HANDOFF_BASE_URL = app.host.baseUrl;
    const printed: string[] = [];
    const snippet = loadSnippet(code, printed);

    await (snippet.main as () => Promise<void>)();
    expect(printed).toEqual([
      'Running handoff workflow: Coordinator → Specialists',
      '⚡ Starting: input-conversation',
      '✓ Completed: input-conversation',
      '⚡ Starting: coordinator_agent',
      '✓ Completed: coordinator_agent',
      '⚡ Starting: handoff-coordinator',
      '✓ Completed: handoff-coordinator',
      '⚡ Starting: shipping_agent',
      '✓ Completed: shipping_agent',
      '⚡ Starting: handoff-coordinator',
      '✓ Completed: handoff-coordinator',
      '✅ Workflow completed!',
      '[user]: I never received my order #12345',
      `[shipping_agent]: ${SHIPPING_ANSWER}`,
    ]);

    printed.length = 0;
    const watch = snippet.watchAnswers as (message: string) => Promise<string[]>;
    expect(await watch('I never received my order #12345')).toEqual([SHIPPING_ANSWER]);
    const writing = printed.map((line) => line.replace(/^shipping_agent is writing: /, ''));
    expect(writing.length).toBeGreaterThanOrEqual(3);
    expect(writing.at(-1)).toBe(SHIPPING_ANSWER);
    expect(writing.every((text, i) => i === 0 || text.startsWith(writing[i - 1]!))).toBe(true);

    const refund = snippet.refundConversation as (answers: string[]) => Promise<RunStatusResponse>;
    const status = await refund(['Order #12345']);
    expect(status).toMatchObject({ state: 'completed', stopReason: 'terminated_by_condition' });
    expect(status.conversation.map((m) => `${m.authorName}: ${m.text}`)).toEqual([
      'user: I want a refund',
      `refund_agent: ${REFUND_QUESTION}`,
      'user: Order #12345',
      `refund_agent: ${REFUND_ANSWER}`,
    ]);
    // The snippet's `approve` sent the refund to a manager: the model read the rejection and its reason.
    const rejection = app.model.requests.at(-1)?.body.messages.find((m) => m.role === 'tool');
    expect(rejection?.content).toMatch(/^Rejected: .* Reason: Refunds are issued by a manager\.$/);
    app.model.assertComplete();
  });
});
