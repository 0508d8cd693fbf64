/**
 * The chat page's approval card in headless Chromium, against the app on the local host and a
 * scripted model: refund_agent asks to run issue_refund, and the human approves or rejects it on
 * the page, with the keyboard, with an optional reason.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { ScriptStep } from '../../src/testing';
import { startAppHost, type AppHost } from '../support/app-host';
import {
  collectPageProblems,
  focusedId,
  shownMessages,
  shownNotes,
  startConversation,
  waitForOutcome,
} from './support/chat-page-model';
import { launchChromium, type LaunchedChromium } from './support/chromium';
import { contrastProblems } from './support/contrast';

const OUTPUT_DIR = path.resolve(__dirname, '../../test-output');

/** The coordinator hands off; refund_agent asks to refund 12.5 of #12345; then it answers `answer`. */
function refundScript(answer: string): ScriptStep[] {
  return [
    {
      agent: 'coordinator_agent',
      reply: { toolCalls: [{ name: 'handoff_to_refund_agent', arguments: {} }] },
    },
    {
      agent: 'refund_agent',
      reply: {
        toolCalls: [
          {
            name: 'issue_refund',
            arguments: { orderId: '12345', amount: 12.5, reason: 'Leaking lid' },
            id: 'call_card',
          },
        ],
      },
    },
    { agent: 'refund_agent', reply: { text: answer } },
  ];
}

/** The arguments the card lists, as `name: value`. */
async function shownArguments(page: Page): Promise<string[]> {
  const names = await page.locator('#approval-arguments dt').allTextContents();
  const values = await page.locator('#approval-arguments dd').allTextContents();
  return names.map((name, index) => `${name}: ${values[index]}`);
}

describe("the chat page's approval card", () => {
  let app: AppHost;
  let chromium: LaunchedChromium;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    app = await startAppHost();
    chromium = await launchChromium();
    context = chromium.context;
    mkdirSync(OUTPUT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await chromium?.close();
    await app?.stop();
  });
  beforeEach(async () => {
    app.model.reset();
    page = await context.newPage();
  });
  afterEach(async () => {
    await page?.close();
  });

  it('shows the call with readable arguments, takes the focus, and approves it with the keyboard', async () => {
    app.model.addSteps(...refundScript('Your order #12345 has been refunded 12.5 USD.'));
    const problems = collectPageProblems(page);
    await startConversation(page, `${app.api}/chat`, 'customer_support', 'Refund my kettle, order #12345');

    const card = page.getByRole('form', { name: 'Approve this action?' });
    await card.waitFor({ state: 'visible' });
    expect(await focusedId(page)).toBe('approval-title');
    expect(await page.locator('#approval-summary').textContent()).toBe(
      'Refund desk wants to run issue_refund.',
    );
    expect(await shownArguments(page)).toEqual(['orderId: 12345', 'amount: 12.5', 'reason: Leaking lid']);
    expect(await page.locator('#progress').textContent()).toBe(
      'Refund desk needs your approval to run issue_refund.',
    );
    expect(await page.locator('#reply-form').isHidden()).toBe(true);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'chat-page-approval.png'), fullPage: true });
    expect(await contrastProblems(page)).toEqual([]);

    await page.keyboard.press('Tab'); // the reason
    expect(await focusedId(page)).toBe('approval-reason');
    await page.keyboard.press('Tab'); // Approve
    expect(await focusedId(page)).toBe('approve-button');
    await page.keyboard.press('Enter');

    await waitForOutcome(page, 'completed');
    expect(await card.isHidden()).toBe(true);
    expect(await shownNotes(page)).toEqual([
      'Handed off: Coordinator agent → Refund desk',
      'You approved issue_refund',
      'Refund desk used issue_refund',
    ]);
    expect(await shownMessages(page)).toEqual([
      { author: 'You', text: 'Refund my kettle, order #12345' },
      { author: 'Refund desk', text: 'Your order #12345 has been refunded 12.5 USD.' },
    ]);
    const refund = app.model.requests.at(-1)?.body.messages.find((m) => m.role === 'tool');
    expect(JSON.parse(refund?.content as string)).toMatchObject({ amount: 12.5, status: 'refunded' });
    app.model.assertComplete();
    expect(problems).toEqual([]);
  });

  it('rejects the call with a reason the agent reads', async () => {
    app.model.addSteps(...refundScript('A manager will look at it; your case is resolved for now.'));
    const problems = collectPageProblems(page);
    await startConversation(page, `${app.api}/chat`, 'customer_support', 'Refund my kettle, order #12345');

    await page.getByRole('form', { name: 'Approve this action?' }).waitFor({ state: 'visible' });
    await page.getByLabel('Reason (optional; the agent reads it)').fill('Refunds need a receipt');
    await page.getByRole('button', { name: 'Reject' }).click();

    await waitForOutcome(page, 'completed');
    expect(await shownNotes(page)).toEqual([
      'Handed off: Coordinator agent → Refund desk',
      'You rejected issue_refund (Refunds need a receipt)',
    ]);
    const rejected = app.model.requests.at(-1)?.body.messages.find((m) => m.role === 'tool');
    expect(rejected?.content).toBe(
      "Rejected: the human did not approve this call of 'issue_refund', so it did not run. Reason: Refunds need a receipt",
    );
    expect(problems).toEqual([]);
  });
});
