// web-bundle-size: how much the chat page makes a browser download before it can show anything.
//
// Reads the built UI (packages/web/dist; builds it first when missing), finds what index.html loads
// up front (the entry script, its modulepreload imports, the stylesheets) and gzips each file at
// level 9, as a server or CDN would send it. Budget: ≤ 250 KB gzipped for the initial JS + CSS.
// Breakdowns: the entry JS and CSS apart, every lazily loaded chunk (syntax-highlighting grammars,
// the highlighter, the debug page) and the web fonts (already compressed woff2, fetched per
// unicode range, so a Latin page downloads only the Latin files).
//
// Run alone: node --import tsx bench/web-bundle-size.bench.ts

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BenchResult, breakdown, budgeted, isMain, runAsMain } from './lib/report.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(repoRoot, 'packages', 'web', 'dist');
const budgetKb = 250;

function gzipKb(path: string): number {
  return gzipSync(readFileSync(path), { level: 9 }).length / 1024;
}

/** Asset paths index.html loads before the page runs: module scripts, modulepreloads, stylesheets. */
function initialAssets(html: string): string[] {
  const paths = new Set<string>();
  for (const match of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) paths.add(match[1] ?? '');
  for (const match of html.matchAll(/<link[^>]*rel="(?:modulepreload|stylesheet)"[^>]*href="([^"]+)"/g)) {
    paths.add(match[1] ?? '');
  }
  return [...paths].filter(Boolean).map((path) => path.replace(/^\.?\//, ''));
}

export async function runWebBundleSize(): Promise<BenchResult> {
  const notes: string[] = [];
  if (!existsSync(join(distDir, 'index.html'))) {
    notes.push('packages/web/dist was missing: built it with "npm run build --workspace @cricket/web"');
    execFileSync('npm', ['run', 'build', '--workspace', '@cricket/web'], { cwd: repoRoot, stdio: 'ignore' });
  }
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const initial = initialAssets(html);
  const initialJs = initial.filter((path) => path.endsWith('.js'));
  const initialCss = initial.filter((path) => path.endsWith('.css'));
  const sum = (paths: string[]) => paths.reduce((total, path) => total + gzipKb(join(distDir, path)), 0);
  const jsKb = sum(initialJs);
  const cssKb = sum(initialCss);

  const assets = readdirSync(join(distDir, 'assets')).map((name) => `assets/${name}`);
  const lazyJs = assets.filter((path) => path.endsWith('.js') && !initial.includes(path));
  const largestLazy = lazyJs
    .map((path) => ({ path, kb: gzipKb(join(distDir, path)) }))
    .sort((left, right) => right.kb - left.kb)
    .slice(0, 3);
  const fonts = assets.filter((path) => path.endsWith('.woff2'));
  const latinFontKb = fonts
    .filter((path) => /-latin-wght/.test(path))
    .reduce((total, path) => total + statSync(join(distDir, path)).size / 1024, 0);
  const rawJsKb = initialJs.reduce((total, path) => total + statSync(join(distDir, path)).size / 1024, 0);

  return {
    figures: [
      budgeted(
        'web UI bundle size',
        'initial JS + CSS of the chat page, gzip -9',
        jsKb + cssKb,
        'KB',
        'max',
        budgetKb,
        {
          digits: 1,
          note: `${initialJs.length} script(s), ${initialCss.length} stylesheet(s)`,
        },
      ),
      breakdown('  entry JavaScript (gzip)', jsKb, 'KB', { digits: 1, note: `${rawJsKb.toFixed(0)} KB minified` }),
      breakdown('  CSS (gzip)', cssKb, 'KB', { digits: 1 }),
      breakdown('lazy chunks, all together (gzip; loaded only when needed)', sum(lazyJs), 'KB', {
        digits: 1,
        note: `${lazyJs.length} chunks; largest: ${largestLazy.map((entry) => `${entry.path.replace(/^assets\//, '')} ${entry.kb.toFixed(1)} KB`).join(', ')}`,
      }),
      breakdown('Latin web fonts (woff2, Inter + JetBrains Mono)', latinFontKb, 'KB', { digits: 1 }),
    ],
    notes,
  };
}

if (isMain(import.meta.url)) runAsMain('web-bundle-size', runWebBundleSize);
