import type { TestServer } from '@cricket/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccessibilityViolations } from './support/accessibility.js';
import { ChatPageDriver } from './support/chat-page-driver.js';
import {
  launchBrowser,
  requirePrerequisites,
  saveScreenshot,
  startUiServer,
  type TestBrowser,
} from './support/web-ui.js';

/**
 * The chat page end to end: the built UI served by a real chat server (scripted engines, SQLite),
 * driven in Debian's headless Chromium. Screenshots of the main states go to .test-results/screenshots.
 */

requirePrerequisites();

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startUiServer();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The server's copy of a conversation's entities. */
async function serverTimeline(convId: string) {
  const response = await fetch(`${server.url}/timeline?conv_id=${encodeURIComponent(convId)}`);
  const body = (await response.json()) as {
    entities?: { id: string; kind: string; message?: { role?: string; content?: string } }[];
  };
  return body.entities ?? [];
}

describe('chat page', () => {
  it('opens on the welcome screen without creating a conversation', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
    await page.getByTestId('engine-label').getByText('offline demo engine').waitFor();
    expect(await chat.connection.textContent()).toBe('New conversation');
    // Keyboard first: the message box has the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Message');
    await saveScreenshot(page, '01-welcome-light');
    expect(await findAccessibilityViolations(page)).toEqual([]);
    const list = (await (await fetch(`${server.url}/api/conversations`)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
    await page.close();
  }, 30_000);

  it('sends a prompt and streams the answer as markdown with highlighted code', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await chat.send('/long');
    await chat.userMessages.getByText('/long').waitFor();
    await chat.waitStreamingText(400);
    expect(await chat.connection.textContent()).toBe('Live');
    await saveScreenshot(page, '02-streaming');
    await chat.waitIdle();
    const answer = chat.answers.last();
    expect(await answer.locator('h2').count()).toBe(12);
    expect(await answer.locator('.code-block').count()).toBe(3);
    await page.waitForSelector('.code-block code[data-highlighted="true"]');
    expect(await page.getByTestId('token-usage').textContent()).toMatch(/\d+ in · \d+ out/);
    expect(chat.convId()).toBeTruthy();
    await page.close();
  }, 40_000);

  it('shows a tool card with arguments, state and result for an arithmetic question', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await chat.send('What is 12 * (3 + 4)?');
    const card = page.getByRole('article', { name: /Tool call calculator/ });
    await card.waitFor();
    await page.getByRole('article', { name: 'Tool call calculator: completed' }).waitFor();
    expect(await card.locator('.kv').first().textContent()).toContain('12 * (3 + 4)');
    expect(await card.textContent()).toContain('84');
    await chat.waitIdle();
    expect(await chat.lastAnswerText()).toContain('84');
    await saveScreenshot(page, '03-tool-card');
    expect(await findAccessibilityViolations(page)).toEqual([]);
    await page.close();
  }, 30_000);

  it('stops a running answer and keeps its partial text', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await chat.send('/long');
    await chat.waitStreamingText(200);
    await page.getByRole('button', { name: 'Stop the answer' }).click();
    await chat.waitIdle();
    await chat.answers.last().getByText('Stopped').waitFor();
    const shown = await chat.lastAnswerText();
    expect(shown.length).toBeGreaterThan(100);
    expect(shown).not.toContain('Section 12');
    const stored = (await serverTimeline(chat.convId())).filter((entity) => entity.message?.role === 'assistant');
    expect(stored.at(-1)?.message?.content?.length ?? 0).toBeLessThan(3000);
    await page.close();
  }, 30_000);

  it('queues a prompt sent during an answer and shows its position', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await chat.send('/long');
    await chat.waitStreamingText(50);
    await chat.send('And one more thing');
    const badge = page.getByTestId('queue-position');
    await badge.waitFor();
    expect(await badge.textContent()).toContain('#1 in line');
    await saveScreenshot(page, '04-queued');
    await page.waitForFunction(() => document.querySelectorAll('article.entry-assistant').length >= 2, undefined, {
      timeout: 20_000,
    });
    await chat.waitIdle();
    expect(await badge.count()).toBe(0);
    expect(await chat.userMessages.allTextContents()).toEqual(['/long', 'And one more thing']);
    expect(await chat.lastAnswerText()).toContain('And one more thing');
    await page.close();
  }, 40_000);

  it('shows an engine failure in the timeline with its message', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await chat.send('/fail the provider is on fire');
    const error = page.locator('article.entry-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('scripted failure requested: the provider is on fire');
    await chat.waitIdle();
    await saveScreenshot(page, '05-error');
    expect(await findAccessibilityViolations(page)).toEqual([]);
    await page.close();
  }, 30_000);

  it('shows an HTTP error of /chat inline, and the prompt can be retried', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    let refuse = true;
    await page.route(/\/chat(\/[^/?]*)?$/, async (route) => {
      if (!refuse || route.request().method() !== 'POST') return route.continue();
      await route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'queue_full', message: 'too many prompts are waiting (32)' } }),
      });
    });
    await chat.send('Hello?');
    const alert = page.locator('.send-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('too many prompts are waiting (32)');
    refuse = false;
    await page.getByRole('button', { name: 'Retry' }).click();
    await chat.waitIdle();
    expect(await alert.count()).toBe(0);
    expect(await chat.userMessages.allTextContents()).toEqual(['Hello?']);
    await page.close();
  }, 30_000);

  it('renders raw HTML and script tags in markdown as inert text', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await chat.send('<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2">');
    await chat.waitIdle();
    expect(await chat.lastAnswerText()).toContain('<script>window.__pwned = 1</script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.timeline script, .timeline img').count()).toBe(0);
    await page.close();
  }, 30_000);

  it('loses and duplicates nothing when reloaded mid-stream', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await chat.send('/long');
    await chat.waitStreamingText(300);
    const convId = chat.convId();
    await page.reload();
    await chat.input.waitFor();
    await chat.waitIdle();
    const answer = chat.answers.last();
    expect(await chat.answers.count()).toBe(1);
    expect(await chat.userMessages.allTextContents()).toEqual(['/long']);
    expect(await answer.locator('h2').count()).toBe(12);
    expect(await answer.locator('li').count()).toBe(24);
    const text = await chat.lastAnswerText();
    expect(text.split('Streaming matters because').length - 1).toBe(12);

    // A tab that only hydrated after the answer finished shows exactly the same text.
    const fresh = new ChatPageDriver(await browser.newPage());
    await fresh.open(server.url, convId);
    await fresh.waitIdle();
    expect(await fresh.lastAnswerText()).toBe(text);
    await fresh.page.close();
    await page.close();
  }, 40_000);

  it('keeps two tabs of one conversation in sync', async () => {
    const first = new ChatPageDriver(await browser.newPage());
    await first.open(server.url);
    await first.send('What is 6 * 7?');
    await first.waitIdle();
    const second = new ChatPageDriver(await browser.newPage());
    await second.open(server.url, first.convId());
    await second.waitIdle();

    await second.send('/long');
    await first.waitStreamingText(100);
    await first.waitIdle();
    await second.waitIdle();
    expect(await first.userMessages.allTextContents()).toEqual(['What is 6 * 7?', '/long']);
    expect(await second.userMessages.allTextContents()).toEqual(['What is 6 * 7?', '/long']);
    expect(await first.lastAnswerText()).toBe(await second.lastAnswerText());
    expect(await first.page.locator('article.entry-tool').count()).toBe(1);
    await first.page.close();
    await second.page.close();
  }, 40_000);

  it('switches conversations from the list, and Back returns to the previous one', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await chat.send('First conversation');
    await chat.waitIdle();
    const first = chat.convId();
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
    await chat.send('Second conversation');
    await chat.waitIdle();
    const second = chat.convId();
    expect(second).not.toBe(first);

    const link = page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('link', { name: /First conversation/ });
    await link.click();
    await chat.userMessages.getByText('First conversation').waitFor();
    expect(chat.convId()).toBe(first);
    expect(await link.getAttribute('aria-current')).toBe('page');
    await page.goBack();
    await chat.userMessages.getByText('Second conversation').waitFor();
    expect(chat.convId()).toBe(second);
    await page.close();
  }, 30_000);

  it('switches profiles: the next answer comes from the chosen engine', async () => {
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    const select = page.getByRole('combobox', { name: 'Profile' });
    await page.locator('select option[value="fast"]').waitFor({ state: 'attached' });
    await select.selectOption('fast');
    await page.getByTestId('engine-label').getByText('scripted-fast').waitFor();
    await chat.send('Which engine is this?');
    await chat.waitIdle();
    await chat.answers.last().getByText('scripted-fast').waitFor();
    const list = (await (await fetch(`${server.url}/api/conversations`)).json()) as {
      items: { conv_id: string; profile: string }[];
    };
    expect(list.items.find((item) => item.conv_id === chat.convId())?.profile).toBe('fast');
    // The choice sticks for new conversations (the server's profile cookie).
    await page.getByRole('button', { name: 'New chat' }).click();
    expect(await select.inputValue()).toBe('fast');
    await select.selectOption('default');
    await page.close();
  }, 30_000);

  it('looks right in the dark theme and on a phone', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    const chat = new ChatPageDriver(page);
    await chat.open(server.url);
    await saveScreenshot(page, '06-welcome-dark');
    await chat.send('/think What is 12 * (3 + 4)?');
    await chat.waitIdle();
    await page.getByRole('button', { name: /Reasoning/ }).click();
    await saveScreenshot(page, '07-tool-card-dark');
    expect(await findAccessibilityViolations(page)).toEqual([]);
    await chat.send('/long');
    await chat.waitIdle();
    await page.locator('.code-block').last().scrollIntoViewIfNeeded();
    await saveScreenshot(page, '08-code-dark');

    const convId = chat.convId();
    const phone = await browser.newPage({ width: 390, height: 844 });
    const small = new ChatPageDriver(phone);
    await small.open(server.url, convId);
    await small.waitIdle();
    await phone.getByRole('article', { name: /Tool call calculator/ }).scrollIntoViewIfNeeded();
    await saveScreenshot(phone, '09-phone');
    await phone.getByRole('button', { name: 'Show conversations' }).click();
    await phone.locator('.sidebar[data-open="true"]').waitFor();
    await phone.waitForTimeout(300);
    await saveScreenshot(phone, '10-phone-drawer');
    await phone.keyboard.press('Escape');
    await phone.locator('.sidebar[data-open="false"]').waitFor({ state: 'attached' });

    // The theme toggle overrides the system setting.
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.close();
    await phone.close();
  }, 60_000);

  it('reconnects after a server restart on the same port and database', async () => {
    const own = await startUiServer();
    const port = Number(new URL(own.url).port);
    const page = await browser.newPage();
    const chat = new ChatPageDriver(page);
    try {
      await chat.open(own.url);
      await chat.send('What is 2 + 3?');
      await chat.waitIdle();
      const before = await chat.lastAnswerText();
      await own.close();
      await page.waitForFunction(
        () =>
          /Reconnecting|Offline/.test(document.querySelector('[data-testid="connection-label"]')?.textContent ?? ''),
        undefined,
        { timeout: 10_000 },
      );
      await saveScreenshot(page, '11-reconnecting');
      const restarted = await startUiServer({ port, databasePath: own.databasePath });
      try {
        await page.waitForFunction(
          () => document.querySelector('[data-testid="connection-label"]')?.textContent === 'Live',
          undefined,
          { timeout: 20_000 },
        );
        expect(await chat.lastAnswerText()).toBe(before);
        await chat.send('What is 4 + 5?');
        await page.waitForFunction(() => document.querySelectorAll('article.entry-assistant').length === 2, undefined, {
          timeout: 10_000,
        });
        await chat.waitIdle();
        expect(await chat.lastAnswerText()).toContain('9');
        expect(await chat.userMessages.allTextContents()).toEqual(['What is 2 + 3?', 'What is 4 + 5?']);
      } finally {
        await restarted.close();
      }
    } finally {
      await page.close();
      await own.close();
    }
  }, 60_000);

  it('raised no uncaught errors in any page', () => {
    expect(browser.pageErrors).toEqual([]);
  });
});
