import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ARTIFACTS_DIR, startApp, type E2eApp } from './app';

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'Qianzhi@2026';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A desktop page in a fresh context (its own sessionStorage and localStorage), at 1:1 pixels. */
export async function newDesktopPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  return context.newPage();
}

export async function screenshot(page: Page, journey: string, step: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${journey}-${step}.png`) });
}

/** Signs in through the login form, as a user would. */
export async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.locator('#login_username').fill(username);
  await page.locator('#login_password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
}

/**
 * The colours really on screen, read back from a screenshot (so every canvas and CSS background is
 * composited as the user sees it). Returns [r, g, b] for each page pixel asked for.
 */
export async function readScreenPixels(page: Page, points: { x: number; y: number }[]): Promise<number[][]> {
  const png = await page.screenshot({ type: 'png' });
  return page.evaluate(
    async ({ data, points: wanted }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      if (!context) throw new Error('no 2D context');
      context.drawImage(image, 0, 0);
      return wanted.map(({ x, y }) => Array.from(context.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3)));
    },
    { data: png.toString('base64'), points },
  );
}

/**
 * One journey's own seeded app and browser, started before its tests and stopped after them. Read
 * `.app` and `.browser` inside the tests (they exist once `beforeAll` has run).
 */
export function useJourney(journey: string): { app: E2eApp; browser: Browser } {
  const ctx = {} as { app: E2eApp; browser: Browser };
  beforeAll(async () => {
    ctx.app = await startApp(journey);
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.app?.stop();
  });
  return ctx;
}
