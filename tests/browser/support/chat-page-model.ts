/**
 * The chat page as the browser tests drive it: the user's actions by label and keyboard, and what
 * the page shows, read from the DOM.
 */
import type { Page } from 'playwright-core';

/** A message bubble as shown: author name and text. */
export interface ShownMessage {
  author: string;
  text: string;
}

/** Console errors, uncaught page errors and Content-Security-Policy violations of `page`. */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return problems;
}

/** Opens the page, picks `workflow` and sends `message` with the keyboard (Enter). */
export async function startConversation(page: Page, url: string, workflow: string, message: string) {
  await page.goto(url);
  await page.getByLabel('Workflow').selectOption(workflow);
  await page.getByLabel('Your message').focus();
  await page.keyboard.type(message);
  await page.keyboard.press('Enter');
}

/** Waits until the reply box for `agent` is shown and has the keyboard focus. */
export async function waitForQuestion(page: Page, agent: string): Promise<void> {
  await page.getByLabel(`Your reply to ${agent}`).waitFor({ state: 'visible' });
  await page.locator('#reply:focus').waitFor();
}

/** Waits for the final-state panel of a run that ended in `state`. */
export async function waitForOutcome(page: Page, state: string): Promise<void> {
  await page.locator(`#final[data-state="${state}"]`).waitFor({ state: 'visible' });
}

/** The bubbles, in order. */
export async function shownMessages(page: Page): Promise<ShownMessage[]> {
  const bubbles = await page.locator('#transcript .bubble').all();
  return Promise.all(
    bubbles.map(async (bubble) => ({
      author: (await bubble.locator('.bubble-author').textContent()) ?? '',
      text: (await bubble.locator('.bubble-text').textContent()) ?? '',
    })),
  );
}

/** The id of the element that has the keyboard focus ('' for none). */
export async function focusedId(page: Page): Promise<string> {
  const focused = page.locator(':focus');
  return (await focused.count()) === 0 ? '' : ((await focused.getAttribute('id')) ?? '');
}

/** The run this tab follows, as the page keeps it in sessionStorage (or null). */
export async function savedRun(page: Page): Promise<Record<string, unknown> | null> {
  // A string expression: the test program has no DOM types.
  const text = await page.evaluate<string | null>("sessionStorage.getItem('durable-handoff.chat.run')");
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

/** The page's width in CSS pixels, scrolled content included. */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/** The notes between messages (handoffs, warnings), in order. */
export function shownNotes(page: Page): Promise<string[]> {
  return page.locator('#transcript .note').allTextContents();
}
