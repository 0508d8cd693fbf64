/**
 * The chat page in headless Chromium, against the app on the local host and a scripted model:
 * the customer_support refund conversation of the article, driven through the page with the keyboard.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { ScriptStep } from '../../src/testing';
import { request, waitFor } from '../support/api-client';
import { startAppHost, type AppHost } from '../support/app-host';
import {
  collectPageProblems,
  focusedId,
  savedRun,
  scrollWidth,
  shownMessages,
  shownNotes,
  startConversation,
  waitForOutcome,
  waitForQuestion,
} from './support/chat-page-model';
import { launchChromium, type LaunchedChromium } from './support/chromium';
import { contrastProblems } from './support/contrast';
import { startCuttableProxy } from './support/cuttable-proxy';

const OUTPUT_DIR = path.resolve(__dirname, '../../test-output');
const QUESTION = 'Which order should I refund?';
const ANSWER = 'Your refund for order 7 has been refunded.';
const HANDOFF = 'Handed off: Coordinator agent → Refund desk';
const SHIPPED = "I've located the package for order #12345. It will be delivered within 2 business days.";

/** The coordinator hands off to refund_agent, which asks; after the reply it refunds (the condition ends the run). */
function refundScript(): ScriptStep[] {
  return [
    {
      agent: 'coordinator_agent',
      reply: { toolCalls: [{ name: 'handoff_to_refund_agent', arguments: {} }] },
    },
    { agent: 'refund_agent', reply: { text: QUESTION } },
    { agent: 'refund_agent', reply: { text: ANSWER } },
  ];
}

describe('the chat page', () => {
  let app: AppHost;
  let chromium: LaunchedChromium;
  let context: BrowserContext;
  let page: Page;
  let chatUrl: string;

  beforeAll(async () => {
    app = await startAppHost();
    chromium = await launchChromium();
    context = chromium.context;
    chatUrl = `${app.api}/chat`;
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

  it('completes a human_in_loop refund conversation, with a reply typed on the keyboard, and ends completed', async () => {
    app.model.addSteps(...refundScript());
    const problems = collectPageProblems(page);

    await page.goto(chatUrl);
    await page.getByLabel('Workflow').selectOption('customer_support');
    expect(await page.getByLabel(/Human in the loop/).isChecked()).toBe(true);
    await page.getByLabel('Your message').focus();
    await page.keyboard.type('I want a refund');
    await page.keyboard.press('Enter');

    await page.locator('#transcript .note', { hasText: HANDOFF }).waitFor();
    await page.locator('#transcript .bubble', { hasText: QUESTION }).waitFor();
    await waitForQuestion(page, 'Refund desk');
    await page.keyboard.type('Order 7');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('Thanks!');
    // The reply is shown the moment it is sent, before the server has even answered the POST.
    let releaseReply: () => void = () => undefined;
    const replyHeld = new Promise<void>((resolve) => (releaseReply = resolve));
    await page.route(
      (url) => url.pathname.includes('/respond/'),
      async (route) => {
        await replyHeld;
        await route.continue();
      },
    );
    await page.keyboard.press('Enter');
    await page.locator('#transcript .bubble-sending', { hasText: 'Order 7' }).waitFor();
    expect((await shownMessages(page)).at(-1)).toEqual({ author: 'You', text: 'Order 7\nThanks!' });
    releaseReply();

    await waitForOutcome(page, 'completed');
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'chat-page.png'), fullPage: true });
    expect(await contrastProblems(page)).toEqual([]);

    expect(await shownMessages(page)).toEqual([
      { author: 'You', text: 'I want a refund' },
      { author: 'Refund desk', text: QUESTION },
      { author: 'You', text: 'Order 7\nThanks!' },
      { author: 'Refund desk', text: ANSWER },
    ]);
    expect(await shownNotes(page)).toEqual([HANDOFF]);
    // One end state, in plain words; the stop reason only behind Details.
    const final = await page.locator('#final').innerText();
    expect(final).toContain('Conversation finished');
    expect(final).toContain('Your request has been handled.');
    expect(final).not.toContain('terminated_by_condition');
    expect(await page.locator('#progress').innerText()).toBe('');
    await page.locator('#final-details summary').click();
    expect(await page.locator('#final-technical').innerText()).toBe('stopReason: terminated_by_condition');
    // The panel took the focus to be read out; it shows no focus ring.
    expect(await page.evaluate("getComputedStyle(document.getElementById('final')).outlineStyle")).toBe(
      'none',
    );
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
    expect(app.model.requests.at(-1)?.lastUserText).toBe('Order 7\nThanks!');
    app.model.assertComplete();
    expect(problems).toEqual([]);
  });

  it('shows every message once when the network drops mid-run and the reconnection replays events already shown', async () => {
    app.model.addSteps(...refundScript());
    const proxy = await startCuttableProxy(app.host.baseUrl);
    try {
      // Once the run is over, the page's next event stream starts again from seq 1, as from a server
      // that lost its place: everything the page showed before the drop comes a second time.
      let replayFromStart = false;
      let replayed = '';
      await page.route(
        (url) => url.pathname.includes('/events/'),
        async (route) => {
          if (!replayFromStart) return route.continue();
          // The page resumes with Last-Event-ID (and would with ?after): drop both.
          const url = new URL(route.request().url());
          url.searchParams.delete('after');
          const headers = { ...route.request().headers() };
          delete headers['last-event-id'];
          try {
            const response = await route.fetch({ url: url.toString(), headers });
            const body = await response.text();
            replayed = body;
            await route.fulfill({ response, body });
          } catch {
            await route.abort('connectionrefused');
          }
        },
      );
      await startConversation(page, `${proxy.origin}/api/chat`, 'customer_support', 'I want a refund');
      await waitForQuestion(page, 'Refund desk');
      const run = (await savedRun(page)) as { token: string; workflow: string; runId: string };

      proxy.cut();
      await page.getByText('Connection lost. Reconnecting…').waitFor();

      // The run goes on while the page is cut off: the reply comes from elsewhere (another device).
      const direct = (action: string) => `${app.api}/workflows/${run.workflow}/${action}/${run.runId}`;
      const replied = await request(direct('respond'), {
        token: run.token,
        body: { message: 'Order 7' },
      });
      expect(replied.status).toBe(202);
      await waitFor('the run to complete while the page is cut off', async () => {
        const status = await request<{ state: string }>(direct('status'), { token: run.token });
        return status.body.state === 'completed' ? status.body : undefined;
      });
      replayFromStart = true;
      proxy.restore();
      await waitForOutcome(page, 'completed');

      expect(replayed).toMatch(/^id: 1$/m);
      expect(await shownMessages(page)).toEqual([
        { author: 'You', text: 'I want a refund' },
        { author: 'Refund desk', text: QUESTION },
        { author: 'You', text: 'Order 7' },
        { author: 'Refund desk', text: ANSWER },
      ]);
      expect(await shownNotes(page)).toEqual([HANDOFF]);
      expect(await page.locator('#connection').isVisible()).toBe(false);
      expect(await page.getByLabel('Your reply to Refund desk').isVisible()).toBe(false);
      app.model.assertComplete();
    } finally {
      await proxy.close();
    }
  });

  it('resumes the same run after a reload, rebuilding the conversation from its event log', async () => {
    app.model.addSteps(...refundScript());
    await startConversation(page, chatUrl, 'customer_support', 'I want a refund');
    await waitForQuestion(page, 'Refund desk');

    await page.reload();
    await waitForQuestion(page, 'Refund desk');
    expect(await shownMessages(page)).toEqual([
      { author: 'You', text: 'I want a refund' },
      { author: 'Refund desk', text: QUESTION },
    ]);
    expect(await shownNotes(page)).toEqual([HANDOFF]);

    await page.keyboard.type('Order 7');
    await page.keyboard.press('Enter');
    await waitForOutcome(page, 'completed');
    expect((await shownMessages(page)).map((message) => message.text)).toEqual([
      'I want a refund',
      QUESTION,
      'Order 7',
      ANSWER,
    ]);
    expect(await page.locator('#transcript').getAttribute('aria-busy')).toBeNull();
    app.model.assertComplete();
  });

  it('fits a 375 px screen, shows markup in messages as text, and stops the run from the keyboard', async () => {
    app.model.addSteps(...refundScript().slice(0, 2));
    const problems = collectPageProblems(page);
    await page.setViewportSize({ width: 375, height: 740 });
    const message = `Refund <img src=x onerror="document.title='owned'"> order ${'1234567890'.repeat(8)}`;

    await page.goto(chatUrl);
    await page.locator('#workflow:enabled').waitFor();
    expect(await contrastProblems(page)).toEqual([]);
    // The message box has the focus when the page opens: typing and Enter start the conversation.
    await page.keyboard.type(message);
    await page.keyboard.press('Enter');
    await waitForQuestion(page, 'Refund desk');

    expect((await shownMessages(page))[0]).toEqual({ author: 'You', text: message });
    expect(await page.locator('#transcript img').count()).toBe(0);
    expect(await page.title()).not.toBe('owned');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'chat-page-375.png'), fullPage: true });
    expect(await contrastProblems(page)).toEqual([]);

    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('stop');
    await page.keyboard.press('Enter');
    await waitForOutcome(page, 'terminated');
    expect(await page.locator('#final').innerText()).toContain('Conversation stopped');
    expect(await page.locator('#final').innerText()).not.toMatch(/cancelled|terminated/);
    // Said once: in the panel, not again as a note or on the progress line.
    expect(await shownNotes(page)).toEqual([HANDOFF]);
    expect(await page.locator('#progress').innerText()).toBe('');
    expect(await focusedId(page)).toBe('final');

    await page.getByRole('button', { name: 'New conversation' }).press('Enter');
    await page.getByLabel('Your message').waitFor();
    expect(await focusedId(page)).toBe('message');
    expect(await savedRun(page)).toBeNull();
    app.model.assertComplete();
    expect(problems).toEqual([]);
  });

  it('runs an autonomous conversation chosen with the arrow keys to its end without asking the user', async () => {
    app.model.addSteps(
      {
        agent: 'coordinator_agent',
        reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
      },
      { agent: 'shipping_agent', reply: { text: SHIPPED } },
    );
    await page.goto(chatUrl);
    await page.locator('#workflow:enabled').waitFor();
    await page.getByLabel(/Human in the loop/).focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel(/Autonomous/).isChecked()).toBe(true);
    await page.getByLabel('Your message').focus();
    await page.keyboard.type('I never received my order #12345');
    await page.keyboard.press('Enter');

    await waitForOutcome(page, 'completed');
    expect(await shownMessages(page)).toEqual([
      { author: 'You', text: 'I never received my order #12345' },
      { author: 'Shipping agent', text: SHIPPED },
    ]);
    expect(await shownNotes(page)).toEqual(['Handed off: Coordinator agent → Shipping agent']);
    expect(await page.locator('#reply-form').isVisible()).toBe(false);
    app.model.assertComplete();
  });

  it('shows an answer growing in a typing bubble, then settles that bubble on the final text without moving it', async () => {
    app.model.addSteps(
      {
        agent: 'coordinator_agent',
        reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
      },
      // About 20 pieces, 120 ms apart: the answer takes a couple of seconds to write.
      { agent: 'shipping_agent', reply: { text: SHIPPED, stream: { chunkDelayMs: 120 } } },
    );
    const problems = collectPageProblems(page);
    await page.goto(chatUrl);
    await page.locator('#workflow:enabled').waitFor();
    // Every state of the agent's bubble, as the page shows it: recorded in the page on each change,
    // so none is missed however slowly the test reads. (A string: the test program has no DOM types.)
    await page.evaluate(`(() => {
      window.bubbleStates = [];
      const record = () => {
        const bubble = [...document.querySelectorAll('#transcript .bubble-agent')].at(-1);
        if (!bubble) return;
        bubble.dataset.seen ??= String(window.bubbleStates.length);
        const box = bubble.getBoundingClientRect();
        const state = {
          element: bubble.dataset.seen,
          text: bubble.querySelector('.bubble-text').textContent,
          typing: bubble.classList.contains('bubble-typing'),
          busy: bubble.getAttribute('aria-busy'),
          dots: getComputedStyle(bubble.querySelector('.bubble-author'), '::after').visibility,
          top: box.top + window.scrollY,
          height: box.height,
          width: box.width,
        };
        const last = window.bubbleStates.at(-1);
        if (!last || JSON.stringify(last) !== JSON.stringify(state)) window.bubbleStates.push(state);
      };
      new MutationObserver(record).observe(document.getElementById('transcript'), {
        subtree: true, childList: true, characterData: true, attributes: true,
      });
    })()`);
    await page.getByLabel(/Autonomous/).check();
    await page.getByLabel('Your message').fill('I never received my order #12345');
    await page.keyboard.press('Enter');

    await page.locator('#transcript .bubble-typing').waitFor();
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'chat-page-typing.png'), fullPage: true });
    await waitForOutcome(page, 'completed');

    type State = {
      element: string;
      text: string;
      typing: boolean;
      busy: string | null;
      dots: string;
      top: number;
      height: number;
      width: number;
    };
    const states = await page.evaluate<State[]>('window.bubbleStates');
    const typing = states.filter((state) => state.typing);
    const settled = states.filter((state) => !state.typing);
    // It grew: several states, each a longer start of the answer, all typing, busy, dots shown.
    const texts = typing
      .map((state) => state.text)
      .filter((text, i, all) => text !== '' && text !== all[i - 1]);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    texts.forEach((text, i) => {
      expect(SHIPPED.startsWith(text)).toBe(true);
      if (i > 0) expect(text.length).toBeGreaterThan(texts[i - 1]!.length);
    });
    expect(typing.every((state) => state.busy === 'true' && state.dots === 'visible')).toBe(true);
    // It settled: the same bubble, the final text, no typing state, and not moved or resized.
    const final = settled.at(-1)!;
    expect(final).toMatchObject({ text: SHIPPED, busy: null, dots: 'hidden' });
    expect(new Set(states.map((state) => state.element))).toEqual(new Set([final.element]));
    expect(new Set(states.map((state) => state.top))).toEqual(new Set([final.top]));
    const lastTyping = typing.at(-1)!;
    expect(lastTyping.text).toBe(SHIPPED);
    expect([final.height, final.width]).toEqual([lastTyping.height, lastTyping.width]);
    expect(typing.every((state, i) => i === 0 || state.height >= typing[i - 1]!.height)).toBe(true);

    expect(await shownMessages(page)).toEqual([
      { author: 'You', text: 'I never received my order #12345' },
      { author: 'Shipping agent', text: SHIPPED },
    ]);
    expect(await contrastProblems(page)).toEqual([]);
    app.model.assertComplete();
    expect(problems).toEqual([]);
  });

  it('says the assistant is not answering while the model fails and the turn waits to be retried, then goes on', async () => {
    const unavailable = { status: 503, body: { error: { message: 'The server is overloaded.' } } };
    app.model.addSteps(
      { agent: 'coordinator_agent', reply: unavailable },
      { agent: 'coordinator_agent', reply: unavailable },
      {
        agent: 'coordinator_agent',
        reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
      },
      { agent: 'shipping_agent', reply: { text: SHIPPED } },
    );
    const problems = collectPageProblems(page);
    await page.goto(chatUrl);
    await page.locator('#workflow:enabled').waitFor();
    // Every text of the progress line, recorded in the page as it changes (none is missed).
    await page.evaluate(`(() => {
      window.progressTexts = [];
      const progress = document.getElementById('progress');
      new MutationObserver(() => {
        const text = progress.textContent;
        if (window.progressTexts.at(-1) !== text) window.progressTexts.push(text);
      }).observe(progress, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByLabel(/Autonomous/).check();
    await page.getByLabel('Your message').fill('I never received my order #12345');
    await page.keyboard.press('Enter');

    const notice = page.locator('#progress', { hasText: 'The assistant is not answering, retrying (2/5)…' });
    await notice.waitFor();
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'chat-page-retrying.png'), fullPage: true });
    await waitForOutcome(page, 'completed');

    const texts = await page.evaluate<string[]>('window.progressTexts');
    const retries = texts.filter((text) => text.includes('not answering'));
    expect(retries).toEqual([
      'The assistant is not answering, retrying (2/5)…',
      'The assistant is not answering, retrying (3/5)…',
    ]);
    // The notice stays until the agent gets through: the next text after the last one is the handoff.
    expect(texts[texts.indexOf(retries[1]!) + 1]).toBe('Handed off: Coordinator agent → Shipping agent');
    // The retries are no part of the conversation, and the customer never sees the endpoint.
    expect(await shownNotes(page)).toEqual(['Handed off: Coordinator agent → Shipping agent']);
    expect(await shownMessages(page)).toEqual([
      { author: 'You', text: 'I never received my order #12345' },
      { author: 'Shipping agent', text: SHIPPED },
    ]);
    expect(await page.locator('body').innerText()).not.toContain(app.model.baseUrl);
    app.model.assertComplete();
    expect(problems).toEqual([]);
  });

  it("shows an agent's answer as light Markdown, built as elements: no markup of the model's gets in", async () => {
    const answer = [
      'Your **order #12345** will be delivered tomorrow:',
      '- shipped *yesterday*',
      '- tracking code `TR-991`',
      '',
      'Details: [tracking page](https://example.com/track) or [this](javascript:alert(1)).',
      '<img src=x onerror="document.title=\'owned\'"> <script>document.title="owned"</script>',
    ].join('\n');
    app.model.addSteps(
      {
        agent: 'coordinator_agent',
        reply: { toolCalls: [{ name: 'handoff_to_shipping_agent', arguments: {} }] },
      },
      { agent: 'shipping_agent', reply: { text: answer } },
    );
    const problems = collectPageProblems(page);
    await page.goto(chatUrl);
    await page.locator('#workflow:enabled').waitFor();
    await page.getByLabel(/Autonomous/).check();
    await page.getByLabel('Your message').fill('Where is my order?');
    await page.keyboard.press('Enter');
    await waitForOutcome(page, 'completed');

    const bubble = page.locator('#transcript .bubble-agent .bubble-text');
    expect(await bubble.locator('strong').allTextContents()).toEqual(['order #12345']);
    expect(await bubble.locator('ul > li').allTextContents()).toEqual([
      'shipped yesterday',
      'tracking code TR-991',
    ]);
    expect(await bubble.locator('em').allTextContents()).toEqual(['yesterday']);
    expect(await bubble.locator('code').allTextContents()).toEqual(['TR-991']);
    const links = bubble.locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://example.com/track');
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await links.textContent()).toBe('tracking page');
    // The unsafe link and the markup are shown as the text they are.
    expect(await bubble.textContent()).toContain('[this](javascript:alert(1))');
    expect(await bubble.textContent()).toContain('<script>document.title="owned"</script>');
    expect(await page.locator('#transcript img, #transcript script').count()).toBe(0);
    expect(await page.title()).not.toBe('owned');
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'chat-page-markdown.png'), fullPage: true });
    expect(await contrastProblems(page)).toEqual([]);
    app.model.assertComplete();
    expect(problems).toEqual([]);
  });

  it('shows a failed run in plain words, with its stop reason and error behind Details', async () => {
    app.model.addSteps({
      agent: 'coordinator_agent',
      reply: {
        status: 400,
        body: { error: { message: 'Unsupported parameter.', type: 'invalid_request_error' } },
      },
    });
    await startConversation(page, chatUrl, 'customer_support', 'I want a refund');

    await waitForOutcome(page, 'failed');
    const outcome = await page.locator('#final').innerText();
    expect(outcome).toContain('Something went wrong');
    expect(outcome).not.toMatch(/stopReason|bad_request/);
    // Said once: no error note in the conversation besides the panel.
    expect(await shownNotes(page)).toEqual([]);
    await page.locator('#final-details summary').click();
    expect(await page.locator('#final-technical').innerText()).toMatch(
      /^stopReason: error; error bad_request: /,
    );
    expect(await contrastProblems(page)).toEqual([]);
    app.model.assertComplete();
  });

  it('tells the user when the saved run cannot be followed any more, and starts over on request', async () => {
    const problems = collectPageProblems(page);
    // The tab had a run whose token this app does not accept (e.g. issued by another deployment).
    await page.addInitScript(`sessionStorage.setItem('durable-handoff.chat.run', JSON.stringify({
      runId: 'gone-run', workflow: 'customer_support', token: 'dh1.not-a-valid-token', lastSeq: 12,
      statusUri: '${app.api}/workflows/customer_support/status/gone-run',
      eventsUri: '${app.api}/workflows/customer_support/events/gone-run',
      respondUri: '${app.api}/workflows/customer_support/respond/gone-run',
      terminateUri: '${app.api}/workflows/customer_support/terminate/gone-run' }))`);
    await page.goto(chatUrl);

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('This conversation can no longer be followed');
    expect(await alert.innerText()).toContain('token does not grant access');
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
    expect(await page.locator('#connection').isVisible()).toBe(false);

    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByLabel('Your message').waitFor();
    expect(await alert.isVisible()).toBe(false);
    // The browser logs the refused requests (403) itself; the page threw nothing.
    expect(problems.filter((problem) => !problem.includes('403'))).toEqual([]);
  });
});
