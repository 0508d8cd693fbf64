import { DEMO_MODEL_ANNOUNCEMENT } from '../../src/model/describe-model';
import { linesOf, startDemo, stopDemo, type DemoProcess } from './support/demo-process';

const RULE = '='.repeat(60);
const THIN_RULE = '-'.repeat(60);

/** The executor lines of a run, in the order printed. */
function executorLines(stdout: string): string[] {
  return linesOf(stdout).filter(
    (line) => line.startsWith('⚡ Starting: ') || line.startsWith('✓ Completed: '),
  );
}

/** The numbered history after "CONVERSATION HISTORY": one `{ author, text }` per message. */
function history(stdout: string): { header: string; text: string }[] {
  const lines = linesOf(stdout);
  const start = lines.indexOf('CONVERSATION HISTORY');
  expect(start).toBeGreaterThan(0);
  expect(lines[start - 1]).toBe(RULE);
  expect(lines[start + 1]).toBe(RULE);
  const entries: { header: string; text: string }[] = [];
  for (let i = start + 2; i + 3 < lines.length; i += 4) {
    expect(lines[i]).toBe(THIN_RULE);
    expect(lines[i + 2]).toBe(THIN_RULE);
    entries.push({ header: lines[i + 1]!, text: lines[i + 3]! });
  }
  return entries;
}

const AGENT_HOP = (agent: string) => [
  `⚡ Starting: ${agent}`,
  `✓ Completed: ${agent}`,
  '⚡ Starting: handoff-coordinator',
  '✓ Completed: handoff-coordinator',
];

describe('npm run demo (dist/scripts/demo.js)', () => {
  let demo: DemoProcess | undefined;
  afterEach(async () => {
    await stopDemo(demo);
    demo = undefined;
  });

  it("prints the article's run: the executor sequence, the completion, then the numbered history", async () => {
    demo = startDemo(['I never received my order #12345']);
    expect(await demo.exited).toBe(0);
    const stdout = demo.stdout();
    const lines = linesOf(stdout);

    expect(stdout).toContain(DEMO_MODEL_ANNOUNCEMENT);
    const title = lines.indexOf('Running handoff workflow: Coordinator → Specialists');
    expect(lines.slice(title, title + 4)).toEqual([
      'Running handoff workflow: Coordinator → Specialists',
      RULE,
      'Customer issue: I never received my order #12345',
      RULE,
    ]);
    expect(executorLines(stdout)).toEqual([
      '⚡ Starting: input-conversation',
      '✓ Completed: input-conversation',
      ...AGENT_HOP('coordinator_agent'),
      ...AGENT_HOP('shipping_agent'),
    ]);
    const completed = lines.indexOf('✅ Workflow completed!');
    expect(completed).toBe(lines.lastIndexOf('✓ Completed: handoff-coordinator') + 1);
    expect(lines[completed + 2]).toBe('CONVERSATION HISTORY');
    expect(history(stdout)).toEqual([
      { header: '01 [user]', text: 'I never received my order #12345' },
      { header: '02 [shipping_agent]', text: expect.stringContaining('delivered within 2 business days') },
    ]);
    // The answer as it was written (word by word), between the agent's start and end.
    const answer = `💬 shipping_agent: ${history(stdout)[1]!.text}`;
    expect(lines.indexOf(answer)).toBe(lines.indexOf('⚡ Starting: shipping_agent') + 1);
    expect(lines.indexOf('✓ Completed: shipping_agent')).toBe(lines.indexOf(answer) + 1);
  });

  it('asks the human in --interactive mode and continues with the answer typed on stdin', async () => {
    demo = startDemo(['--interactive', 'I want a refund']);
    await demo.waitForOutput('💬 refund_agent asks:');
    await demo.waitForOutput('> ');
    expect(executorLines(demo.stdout())).toEqual([
      '⚡ Starting: input-conversation',
      '✓ Completed: input-conversation',
      ...AGENT_HOP('coordinator_agent'),
      ...AGENT_HOP('refund_agent'),
    ]);
    demo.child.stdin.write('It is order #12345\n');
    // The refund agent looks the order up, then asks to refund what is left of it: the human approves.
    await demo.waitForOutput('🔐 refund_agent asks to run issue_refund:');
    await demo.waitForOutput('Approve? Type y, or n followed by a reason');
    expect(demo.stdout()).toContain('"amount": 49.9');
    demo.child.stdin.write('y\n');

    expect(await demo.exited).toBe(0);
    const stdout = demo.stdout();
    expect(executorLines(stdout).slice(-4)).toEqual(AGENT_HOP('refund_agent'));
    expect(stdout).toContain('✅ Workflow completed!');
    expect(history(stdout)).toEqual([
      { header: '01 [user]', text: 'I want a refund' },
      { header: '02 [refund_agent]', text: expect.stringContaining('What is your order number?') },
      { header: '03 [user]', text: 'It is order #12345' },
      { header: '04 [refund_agent]', text: expect.stringMatching(/refunded 49.9 USD for order #12345/) },
    ]);
  });

  it('ends the run (exit code 1) when the input ends instead of answering', async () => {
    demo = startDemo(['--interactive', 'I want a refund']);
    await demo.waitForOutput('💬 refund_agent asks:');
    demo.child.stdin.end();

    expect(await demo.exited).toBe(1);
    const stdout = demo.stdout();
    expect(stdout).toContain('No answer: ending the run.');
    expect(stdout).toContain('⏹ Workflow terminated (stop reason: cancelled)');
    expect(history(stdout).map((entry) => entry.header)).toEqual(['01 [user]', '02 [refund_agent]']);
  });

  it('stops the host and exits with 130 on Ctrl-C while it waits for an answer', async () => {
    demo = startDemo(['--interactive', 'I want a refund']);
    await demo.waitForOutput('💬 refund_agent asks:');
    demo.child.kill('SIGINT');

    expect(await demo.exited).toBe(130);
    expect(demo.stderr()).toContain('Interrupted: stopping the local host...');
    expect(demo.stdout()).not.toContain('CONVERSATION HISTORY');
  });

  it('exits with 2 and names the problem for an unknown option or an unknown workflow', async () => {
    demo = startDemo(['--bogus']);
    expect(await demo.exited).toBe(2);
    expect(demo.stderr()).toContain("Unknown option '--bogus'");
    expect(demo.stderr()).toContain('Run with --help for the options.');

    demo = startDemo(['--workflow', 'billing_support', 'Where is my invoice?']);
    expect(await demo.exited).toBe(2);
    expect(demo.stderr()).toContain("No workflow 'billing_support'. Workflows: customer_support.");
    expect(demo.stdout()).not.toContain('Running handoff workflow');
  });

  it('prints the usage with --help and exits with 0', async () => {
    demo = startDemo(['--help']);
    expect(await demo.exited).toBe(0);
    expect(demo.stdout()).toContain('Usage: npm run demo -- [options] [message]');
    expect(demo.stdout()).toContain('--interactive');
  });
});
