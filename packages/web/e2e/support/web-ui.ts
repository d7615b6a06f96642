import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptedProfile, startTestServer, type TestServer } from '@cricket/server/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** The built UI the server serves. */
export const distDir = fileURLToPath(new URL('../../dist', import.meta.url));
/** Where the end-to-end tests save screenshots (kept out of git). */
export const screenshotDir = fileURLToPath(new URL('../../../../.test-results/screenshots', import.meta.url));
/** Debian's Chromium; the tests never download a browser. */
export const chromiumPath = process.env.CRICKET_CHROMIUM ?? '/usr/bin/chromium';

/** Milliseconds between the scripted engine's chunks: slow enough to act on an answer mid-stream. */
export const paceMs = 8;

/** Fails with instructions when the UI is not built or Chromium is missing. */
export function requirePrerequisites(): void {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(
      `packages/web/dist/index.html is missing: build the UI first with "npm run build --workspace @cricket/web"`,
    );
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: install it with "apt-get install -y chromium"`);
  }
}

/** A real chat server (scripted engines, a temporary SQLite file) serving the built UI. */
export function startUiServer(options: { port?: number; databasePath?: string } = {}): Promise<TestServer> {
  return startTestServer({
    staticDir: distDir,
    paceMs,
    profiles: [
      scriptedProfile('default', { engine: { provider: 'scripted', model: 'scripted-demo' } }),
      scriptedProfile('fast', { engine: { provider: 'scripted', model: 'scripted-fast' } }),
    ],
    ...options,
  });
}

/** A headless Chromium with a fresh profile directory. */
export interface TestBrowser {
  context: BrowserContext;
  /** Opens a page, failing the test on any uncaught page error. */
  newPage(options?: { width?: number; height?: number; colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /** Errors thrown by pages' scripts (must stay empty). */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Launches Debian's Chromium headless with the flags CI needs, on a throwaway user-data-dir. */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cricket-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
  });
  const pageErrors: string[] = [];
  return {
    context,
    pageErrors,
    async newPage(options = {}) {
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.setViewportSize({ width: options.width ?? 1280, height: options.height ?? 800 });
      await page.emulateMedia({ colorScheme: options.colorScheme ?? 'light' });
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-viewport screenshot as `.test-results/screenshots/<name>.png`. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}
