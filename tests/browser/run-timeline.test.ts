/**
 * The run timeline on the chat page: after a human-in-the-loop run with a tool call, a handoff and
 * a reply, the page shows a Gantt-style row for each agent turn, the tool call, the handoff and the
 * wait for the human, built from the run's events. Its screenshot goes to test-output/ (untracked);
 * `npm run docs:images` runs this test and copies it to docs/run-timeline.png on purpose.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startAppHost, type AppHost } from '../support/app-host';
import { startConversation, waitForOutcome, waitForQuestion } from './support/chat-page-model';
import { launchChromium, type LaunchedChromium } from './support/chromium';

const OUTPUT_DIR = path.resolve(__dirname, '../../test-output');

describe('the run timeline on the chat page', () => {
  let app: AppHost;
  let chromium: LaunchedChromium;
  let page: Page;

  beforeAll(async () => {
    app = await startAppHost({
      model: {
        steps: [
          {
            agent: 'coordinator_agent',
            reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
          },
          {
            agent: 'shipping_agent',
            reply: { toolCalls: [{ name: 'lookup_order', arguments: { orderId: '12345' } }] },
          },
          { agent: 'shipping_agent', reply: { text: 'Order 12345 is in transit. Is there anything else?' } },
          { agent: 'shipping_agent', reply: { text: 'Glad to help. Your issue is resolved.' } },
        ],
      },
    });
    mkdirSync(OUTPUT_DIR, { recursive: true });
    chromium = await launchChromium();
    page = await chromium.context.newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await app?.stop();
  });

  it('shows the turns with their tokens, the tool call, the handoff and the wait for the human once the run ends', async () => {
    await startConversation(page, `${app.api}/chat`, 'customer_support', 'Where is my order 12345?');
    await waitForQuestion(page, 'Shipping agent');
    await page.keyboard.type('No, thank you.');
    await page.keyboard.press('Enter');
    await waitForOutcome(page, 'completed');

    const timeline = page.locator('#timeline');
    await timeline.waitFor({ state: 'visible' });
    expect(await timeline.locator('h2').textContent()).toMatch(/^Run timeline · /);
    const rows = await timeline.locator('.timeline-row').evaluateAll((items) =>
      items.map((item) => ({
        kind: [...item.classList].find((name) => name !== 'timeline-row')!,
        label: item.querySelector('.timeline-label')!.textContent,
        width: item.querySelector('.timeline-bar')?.getAttribute('style') ?? '',
        tokens: item.querySelector('.timeline-tokens')?.textContent ?? '',
      })),
    );
    expect(rows.map(({ kind, label }) => [kind, label])).toEqual([
      ['timeline-turn', 'coordinator_agent · turn 1'],
      ['timeline-handoff', 'coordinator_agent → shipping_agent'],
      ['timeline-turn', 'shipping_agent · turn 2'],
      ['timeline-tool', 'lookup_order'],
      ['timeline-wait', 'reply to shipping_agent'],
      ['timeline-turn', 'shipping_agent · turn 3'],
    ]);
    for (const row of rows) expect(row.width).toMatch(/width: [0-9.]+%/);
    // Each turn shows its tokens and model calls (the shipping agent's second turn made two calls).
    expect(rows.map((row) => row.tokens.replace(/[0-9,]+ tokens/, 'N tokens'))).toEqual([
      'N tokens · 1 call',
      '',
      'N tokens · 2 calls',
      '',
      '',
      'N tokens · 1 call',
    ]);
    await timeline.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'run-timeline.png'), fullPage: true });
  });
});
