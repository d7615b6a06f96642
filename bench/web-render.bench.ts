// web-render: how the chat page copes with a long streamed answer, in real headless Chromium.
//
// A real server (startTestServer, SQLite) serves the built UI; the scripted engine streams a
// ~2,000-token markdown answer (≈ 8,000 characters: headings, paragraphs, lists, a table and code
// fences) in 2,000 chunks of 4 characters. Debian's Chromium (playwright-core, headless, the CI
// flags) sends the prompt with the keyboard; a script injected before the page loads records
// `performance.now()` at the Enter key, at every WebSocket message, and when the answer's element
// stops streaming (MutationObserver), plus every animation frame and long task while it streams.
//
// Figures:
// - time to render a 2,000-token streamed answer: the engine publishes every chunk at once (no
//   pacing), so the figure is Enter → the whole answer rendered, i.e. what the server, socket and
//   page add; breakdown: the lag between the last frame's arrival and the final render;
// - frames per second while streaming at 200 tokens/s (5 ms pacing, faster than any model
//   streams): animation frames per second between the first and the last token on screen;
//   breakdowns: p95 and worst frame interval, long tasks (> 50 ms) and their total time;
// - breakdown: reloading the page with the finished answer (navigation → answer rendered).
//
// Needs packages/web/dist (built when missing) and /usr/bin/chromium (CRICKET_CHROMIUM to override).
// Run alone: node --import tsx bench/web-render.bench.ts

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScriptedEngine } from '@cricket/core';
import { scriptedProfile, startTestServer } from '@cricket/server/testing';
import { chromium, type Page } from 'playwright-core';
import { type BenchResult, breakdown, budgeted, isMain, runAsMain } from './lib/report.js';
import { median } from './lib/stats.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(repoRoot, 'packages', 'web', 'dist');
const chromiumPath = process.env.CRICKET_CHROMIUM ?? '/usr/bin/chromium';
const chunkChars = 4;
const pacedMs = 5;
const runs = 3;

/** A ~8,000-character markdown answer with the block types models write. */
function longAnswer(): string {
  const parts: string[] = ['# Streaming a long answer', ''];
  for (let section = 1; parts.join('\n').length < 7_600; section++) {
    parts.push(
      `## Part ${section}: what the page does with each token`,
      '',
      'Every delta arrives over the WebSocket, is applied to the timeline in `seq` order and rendered as markdown. ' +
        'Settled blocks are memoized, so only the **last block** is parsed again, and rendering happens at most once per frame.',
      '',
      `- item ${section}.1 with \`inline code\``,
      `- item ${section}.2 with a [link](https://example.com/${section})`,
      '',
    );
    if (section % 3 === 0) {
      parts.push('| metric | value |', '|---|---|', `| section | ${section} |`, '| tokens | 2,000 |', '');
    }
    if (section % 2 === 0) {
      parts.push(
        '```ts',
        `export function part${section}(input: string): string {`,
        `  return input.repeat(${section}).trim();`,
        '}',
        '```',
        '',
      );
    }
  }
  return parts.join('\n');
}

/** Injected before any page script: timestamps of Enter, socket messages, frames and long tasks. */
const recorderScript = `(() => {
  const record = { sendAt: 0, messages: [], frames: [], longTasks: [], firstTokenAt: 0, doneAt: 0, recording: false };
  window.__bench = record;
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) record.sendAt = performance.now();
  }, true);
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => record.messages.push(performance.now()));
    }
  };
  const onFrame = (time) => {
    if (record.recording) record.frames.push(time);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (record.recording) record.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: false });
  const check = () => {
    const answer = document.querySelector('article.entry-assistant');
    if (answer && !record.firstTokenAt && (answer.querySelector('.markdown')?.textContent ?? '').length > 0) {
      record.firstTokenAt = performance.now();
      record.recording = true;
    }
    if (answer && answer.getAttribute('data-streaming') === 'false' && !record.doneAt) {
      record.doneAt = performance.now();
      record.recording = false;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;

interface Recording {
  sendAt: number;
  messages: number[];
  frames: number[];
  longTasks: number[];
  firstTokenAt: number;
  doneAt: number;
}

async function streamOnce(page: Page, url: string, profile: string, expectedLength: number): Promise<Recording> {
  await page.goto(`${url}/`);
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.waitFor();
  await page.locator(`select option[value="${profile}"]`).waitFor({ state: 'attached' });
  await page.getByRole('combobox', { name: 'Profile' }).selectOption(profile);
  await page.getByTestId('engine-label').getByText(`scripted-${profile}`).waitFor();
  await input.fill('Write the long answer, please.');
  await input.press('Enter');
  await page.waitForFunction(() => (globalThis as unknown as { __bench: Recording }).__bench.doneAt > 0, undefined, {
    timeout: 60_000,
    polling: 250,
  });
  const shown = await page.locator('article.entry-assistant .markdown').textContent();
  if ((shown ?? '').length < expectedLength * 0.8)
    throw new Error(`the answer rendered only ${shown?.length} characters`);
  return page.evaluate(() => (globalThis as unknown as { __bench: Recording }).__bench);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function runWebRender(): Promise<BenchResult> {
  const notes: string[] = [];
  if (!existsSync(join(distDir, 'index.html'))) {
    notes.push('packages/web/dist was missing: built it with "npm run build --workspace @cricket/web"');
    execFileSync('npm', ['run', 'build', '--workspace', '@cricket/web'], { cwd: repoRoot, stdio: 'ignore' });
  }
  if (!existsSync(chromiumPath))
    throw new Error(`Chromium is not installed at ${chromiumPath} (apt-get install chromium)`);
  const answer = longAnswer();
  const script = { model: 'scripted', pace_ms: 0, chunk_chars: chunkChars, rules: [{ steps: [{ text: answer }] }] };
  const server = await startTestServer({
    staticDir: distDir,
    profiles: [
      scriptedProfile('burst', { engine: { provider: 'scripted', model: 'scripted-burst' }, script }),
      scriptedProfile('paced', { engine: { provider: 'scripted', model: 'scripted-paced' }, script }),
    ],
    createEngine: (profile) =>
      new ScriptedEngine({
        model: profile.engine.model,
        paceMs: profile.slug === 'paced' ? pacedMs : 0,
        chunkChars,
        ...(profile.script ? { script: profile.script } : {}),
      }),
  });
  const userDataDir = mkdtempSync(join(tmpdir(), 'cricket-bench-chromium-'));
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
  });
  try {
    await context.addInitScript({ content: recorderScript });
    const page = await context.newPage();
    // Warm-up: first page load compiles the bundle and loads the highlighter.
    await streamOnce(page, server.url, 'burst', answer.length);

    const burstTotals: number[] = [];
    const burstLags: number[] = [];
    for (let run = 0; run < runs; run++) {
      const record = await streamOnce(page, server.url, 'burst', answer.length);
      burstTotals.push(record.doneAt - record.sendAt);
      burstLags.push(record.doneAt - (record.messages.at(-1) ?? record.doneAt));
    }

    const paced = await streamOnce(page, server.url, 'paced', answer.length);
    const streamingMs = paced.doneAt - paced.firstTokenAt;
    const fps = ((paced.frames.length - 1) / streamingMs) * 1000;
    const gaps = paced.frames.slice(1).map((time, index) => time - (paced.frames[index] ?? time));
    const longTaskMs = paced.longTasks.reduce((total, duration) => total + duration, 0);

    const reloadStart = Date.now();
    await page.reload();
    await page.locator('article.entry-assistant[data-streaming="false"] .code-block').first().waitFor();
    const reloadMs = Date.now() - reloadStart;

    notes.push(
      `answer: ${answer.length.toLocaleString('en-US')} characters in ~${Math.ceil(answer.length / chunkChars).toLocaleString('en-US')} chunks of ${chunkChars}; ${runs} burst runs after a warm-up`,
    );
    return {
      figures: [
        budgeted(
          'web UI render',
          'time to render a 2,000-token streamed answer (Enter → all rendered, unpaced, median)',
          median(burstTotals),
          'ms',
          'max',
          2_000,
          { note: `runs: ${burstTotals.map((value) => value.toFixed(0)).join(', ')} ms` },
        ),
        breakdown('  last frame received → answer rendered (median)', median(burstLags), 'ms'),
        budgeted(
          'web UI render',
          `frames per second while streaming at ~${(1000 / pacedMs) * (chunkChars / 4)} tokens/s (one ${chunkChars}-character chunk per ${pacedMs} ms)`,
          fps,
          'fps',
          'min',
          50,
          {
            digits: 1,
            note: `${(streamingMs / 1000).toFixed(1)} s of streaming, ${paced.messages.length} frames received`,
          },
        ),
        breakdown('  frame interval p95 / worst', percentile(gaps, 95), 'ms', {
          digits: 1,
          note: `worst ${Math.max(...gaps).toFixed(1)} ms`,
        }),
        breakdown('  long tasks (> 50 ms) while streaming', paced.longTasks.length, 'tasks', {
          digits: 0,
          note: `${longTaskMs.toFixed(0)} ms in total`,
        }),
        breakdown('reload with the finished answer → rendered', reloadMs, 'ms'),
      ],
      notes,
    };
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
    await server.close();
  }
}

if (isMain(import.meta.url)) runAsMain('web-render', runWebRender);
