import { startTestServer, type TestServer } from '@cricket/server/testing';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  distDir,
  launchBrowser,
  paceMs,
  requirePrerequisites,
  saveScreenshot,
  startUiServer,
  type TestBrowser,
} from './support/web-ui.js';

/**
 * The debug page end to end: the built UI served by a real chat server with the debug API on
 * (scripted engines, SQLite), driven in Debian's headless Chromium. Screenshots go to
 * .test-results/screenshots (debug-*.png).
 */

requirePrerequisites();

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startTestServer({ debugApi: true, staticDir: distDir, paceMs });
  browser = await launchBrowser();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface ChatResult {
  status: string;
  turn_id?: string;
  inference_id?: string;
  session_id: string;
}

async function sendPrompt(convId: string, prompt: string): Promise<ChatResult> {
  const response = await fetch(`${server.url}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conv_id: convId, prompt }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ChatResult;
}

/** Waits until the conversation has no running inference and its latest inference has a final snapshot. */
async function waitFinished(convId: string, inferenceId: string, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const turns = (await (
      await fetch(`${server.url}/api/debug/turns?conv_id=${encodeURIComponent(convId)}&phase=final`)
    ).json()) as { items: { payload: string }[] };
    if (turns.items.some((item) => item.payload.includes(inferenceId))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`inference ${inferenceId} of ${convId} did not finish`);
}

/** The texts of the kind badges inside `scope`. */
async function kinds(scope: Locator): Promise<string[]> {
  return scope.locator('.kind-badge').allTextContents();
}

async function openConversation(page: Page, convId: string, title: RegExp): Promise<void> {
  await page.goto(`${server.url}/debug`);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: title }).click();
  await page.waitForURL((url) => url.searchParams.get('conv') === convId);
}

describe('debug page', () => {
  it('inspects an arithmetic inference: phases, snapshot diff, event log and timeline', async () => {
    const chat = await sendPrompt('math', 'What is 12 * (3 + 4)?');
    await waitFinished('math', chat.inference_id ?? '');
    const page = await browser.newPage({ width: 1440, height: 900 });
    await openConversation(page, 'math', /What is 12/);

    // The inference with its four phases; the tool loop made two engine calls.
    const inspector = page.getByRole('region', { name: 'Inference 1' });
    await inspector.waitFor();
    await inspector.getByText('finished').waitFor();
    const phases = inspector.getByRole('tablist', { name: 'Snapshot phase' });
    expect(await phases.getByRole('tab').allTextContents()).toEqual([
      'Pre-inference2',
      'Post-inference2',
      'Post-tools1',
      'Final1',
    ]);
    expect(await phases.getByRole('tab', { name: /Final/ }).getAttribute('aria-selected')).toBe('true');
    const blocks = inspector.getByRole('list', { name: 'Blocks' });
    expect(await kinds(blocks)).toEqual(['system', 'user', 'tool_call', 'tool_use', 'llm_text']);
    await blocks.getByText('calculator').waitFor();
    await blocks.getByText('"result": 84').waitFor();
    await expect.poll(() => inspector.getByRole('button', { name: /Copy inference/ }).count()).toBe(1);
    await saveScreenshot(page, 'debug-01-turn-final');

    // Keyboard: arrow keys move between the phase tabs; the first engine call is one click away.
    await phases.getByRole('tab', { name: /Final/ }).focus();
    await page.keyboard.press('Home');
    expect(await phases.getByRole('tab', { name: /Pre-inference/ }).getAttribute('aria-selected')).toBe('true');
    await inspector.getByRole('button', { name: '#1' }).click();
    expect(await kinds(blocks)).toEqual(['user']);

    // The diff from the first pre-inference snapshot (before the system-prompt middleware ran) to the
    // final one: the system prompt, the tool call, its result and the answer were added.
    await inspector.getByRole('tab', { name: 'Diff' }).click();
    expect(await inspector.getByLabel('From').locator('option:checked').textContent()).toContain('Pre-inference #1');
    expect(await inspector.getByLabel('To').locator('option:checked').textContent()).toContain('Final');
    const rows = inspector.getByRole('list', { name: 'Blocks' });
    expect(await kinds(rows.locator('.diff-row[data-status="added"]'))).toEqual([
      'system',
      'tool_call',
      'tool_use',
      'llm_text',
    ]);
    expect(await kinds(rows.locator('.diff-row[data-status="unchanged"]'))).toEqual(['user']);
    await inspector.getByText('+ 4 added').waitFor();
    const toolCallRow = rows
      .locator('.diff-row[data-status="added"]')
      .filter({ has: page.locator('.kind-badge', { hasText: 'tool_call' }) });
    await toolCallRow.locator('summary').click();
    await toolCallRow.getByText('"expression": "12 * (3 + 4)"').waitFor();
    await saveScreenshot(page, 'debug-02-diff');

    // The event log: filter by type, then by text; pick the tool call's entity to highlight its frames.
    await page.getByRole('tab', { name: /Events & timeline/ }).click();
    const log = page.getByRole('list', { name: 'Events' });
    await log.locator('.event-item').first().waitFor();
    const total = await log.locator('.event-item').count();
    expect(total).toBeGreaterThan(10);
    await page.getByRole('button', { name: /^tool\.start/ }).click();
    expect(await log.locator('.event-type').allTextContents()).toEqual(['tool.start']);
    await page.getByRole('button', { name: /^tool\.start/ }).click();
    const search = page.getByRole('searchbox', { name: 'Search events' });
    await search.fill('"result":84');
    await expect.poll(() => log.locator('.event-type').allTextContents()).toEqual(['tool.result']);
    await search.fill('**84**');
    await expect.poll(() => log.locator('.event-type').allTextContents()).toEqual(['llm.delta', 'llm.final']);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => log.locator('.event-item').count()).toBe(total);

    await page
      .getByRole('list', { name: 'Timeline entities' })
      .getByRole('button', { name: /tool call/i })
      .click();
    await expect
      .poll(() => log.locator('.event-item[data-related="true"] .event-type').allTextContents())
      .toEqual(['tool.start', 'tool.delta', 'tool.result', 'tool.done']);

    // Correlation chips copy their value.
    await log.locator('.event-item[data-related="true"] .event-row').first().click();
    await page
      .getByRole('button', { name: `Copy inference ${chat.inference_id}` })
      .last()
      .click();
    await page
      .getByRole('status')
      .getByText(/Copied inference/)
      .waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(chat.inference_id);
    await saveScreenshot(page, 'debug-03-events');
    await page.close();
  }, 60_000);

  it('continues a step-mode pause from the page until the inference finishes', async () => {
    const first = await sendPrompt('stepper', 'hello');
    await waitFinished('stepper', first.inference_id ?? '');
    const page = await browser.newPage({ width: 1440, height: 900 });
    await openConversation(page, 'stepper', /hello/);
    const toggle = page.getByRole('switch', { name: 'Step mode' });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');

    const chat = await sendPrompt('stepper', 'What is 2 + 3?');
    const pauses = page.getByRole('list', { name: 'Pending pauses' });
    await pauses.getByText('After the engine call').waitFor();
    await page.getByRole('region', { name: 'Inference 2' }).getByText('in progress').waitFor();
    await saveScreenshot(page, 'debug-04-step-paused');

    // A pause after the engine call that asked for the tool, one after the tool ran; the second engine
    // call answers without tools, so the inference then finishes.
    let continued = 0;
    for (;;) {
      const isFinal = await page
        .getByRole('region', { name: 'Inference 2' })
        .getByText('finished')
        .isVisible()
        .catch(() => false);
      if (isFinal) break;
      const button = pauses.getByRole('button', { name: 'Continue' }).first();
      if (await button.isVisible().catch(() => false)) {
        await button.click();
        continued += 1;
        await page.getByRole('status').getByText('Continued the inference').waitFor();
      }
      expect(continued).toBeLessThan(6);
      await page.waitForTimeout(100);
    }
    expect(continued).toBe(2);
    await waitFinished('stepper', chat.inference_id ?? '');
    const inspector = page.getByRole('region', { name: 'Inference 2' });
    expect(await kinds(inspector.getByRole('list', { name: 'Blocks' }))).toContain('tool_use');

    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await page.close();
  }, 60_000);

  it('looks right in the dark theme and on a narrow screen', async () => {
    const page = await browser.newPage({ width: 1440, height: 900, colorScheme: 'dark' });
    await page.goto(`${server.url}/debug?conv=math`);
    await page.getByRole('region', { name: 'Inference 1' }).waitFor();
    await saveScreenshot(page, 'debug-05-turn-dark');
    await page.getByRole('tab', { name: /Events & timeline/ }).click();
    await page.getByRole('list', { name: 'Events' }).locator('.event-item').first().waitFor();
    await saveScreenshot(page, 'debug-06-events-dark');
    await page.close();

    const narrow = await browser.newPage({ width: 390, height: 844 });
    await narrow.goto(`${server.url}/debug?conv=math`);
    await narrow.getByRole('region', { name: 'Inference 1' }).waitFor();
    await saveScreenshot(narrow, 'debug-07-narrow');
    await narrow.close();
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);

  it('says so when the server runs without the debug API', async () => {
    const plain = await startUiServer();
    try {
      const page = await browser.newPage();
      await page.goto(`${plain.url}/debug`);
      await page.getByRole('heading', { name: 'The debug API is off' }).waitFor({ timeout: 10_000 });
      await page.getByText('cricket serve --debug-api').waitFor();
      await saveScreenshot(page, 'debug-08-api-off');
      await page.close();
    } finally {
      await plain.close();
    }
  }, 30_000);
});
