/**
 * Headless Chromium for the page's tests: the system's /usr/bin/chromium (never a download)
 * driven by playwright-core, with a fresh profile per launch. Every page opened through
 * {@link openPage} records console errors, uncaught exceptions and refused requests, so a
 * test can check that the page ran cleanly under its Content-Security-Policy.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Where the tests write screenshots (git-ignored). */
export const SCREENSHOT_DIR = resolve(__dirname, "..", "..", "test-output", "web");

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A launched browser with its own profile folder. */
export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A page and what went wrong in it so far. */
export interface WatchedPage {
  page: Page;
  /** Console errors (CSP refusals included) and uncaught exceptions, as text. */
  problems: string[];
}

/** Launches Chromium with a fresh profile. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "anchorlog-chromium-"));

  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1100, height: 900 },
  });

  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens `url` in a new tab of `browser`, recording problems. */
export async function openPage(browser: TestBrowser, url: string): Promise<WatchedPage> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`exception: ${err.message}`));

  await page.goto(url);
  return { page, problems };
}

/** The path of screenshot `name` (test-output/web/<name>.png), its folder created. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}

/** Saves a full-page screenshot as test-output/web/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}
