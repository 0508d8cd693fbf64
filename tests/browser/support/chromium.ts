/**
 * Launches Debian's Chromium through playwright-core (which never downloads a browser), headless,
 * with a fresh profile folder that `close()` removes.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, sandbox-less (containers), and quiet: no background traffic, updates, sync or first-run UI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** How long a page action or wait may take before the test fails naming what it waited for. */
export const PAGE_DEADLINE_MS = 20_000;

export interface LaunchedChromium {
  /** One browser context (the persistent one of the temporary profile). */
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium; fails with the install command when it is missing. */
export async function launchChromium(): Promise<LaunchedChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM_PATH}, which is missing. ` +
        'Install it with `apt-get install -y chromium` (CI does this in .ci/run).',
    );
  }
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'chat-page-chromium-'));
  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1024, height: 900 },
    });
  } catch (error) {
    removeProfile();
    throw error;
  }
  context.setDefaultTimeout(PAGE_DEADLINE_MS);
  return {
    context,
    close: async () => {
      await context.close();
      removeProfile();
    },
  };
}
