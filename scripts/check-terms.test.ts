import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findTermHits, findTermsInText, isAllowedPath } from './check-terms-core.mjs';

// The forbidden names are assembled from pieces: the repository (this file included) must not
// spell them out, and the gate's first test checks exactly that.
const run = 'run';
const Run = 'Run';
const forbiddenNames = [
  `${run}_id`,
  `${Run}ID`,
  `${run}Id`,
  `${run}-id`,
  `Legacy${Run}ID`,
  `selected${Run}Id`,
  `Distinct${Run}s`,
  `/${run}s`,
  `${Run}Handle`,
  `${run}-end`,
  `${run}_ids`,
  `${run}Ids`,
  `start${Run}`,
  `current${Run}`,
];

const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(repoRoot, 'scripts', 'check-terms.mjs');

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp dir holding `files` (relative path → content). */
function tempTree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'check-terms-'));
  tempDirs.push(dir);
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

function runCli(dir: string): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [cli, dir], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout };
}

const sessionSource = ['// session store', 'export function load(row: Row) {', `  return row.${run}_id;`, '}', ''].join(
  '\n',
);

describe('check-terms', () => {
  it('finds no session-meaning names in this repository', async () => {
    expect(await findTermHits(repoRoot)).toEqual([]);
  });

  it('exits 0 with a summary on this repository', () => {
    const { status, stdout } = runCli(repoRoot);
    expect(stdout).toMatch(/^check-terms: no session-meaning "run" names in \d+ files\n$/);
    expect(status).toBe(0);
  });

  it('exits 1 and names path:line:column for a forbidden name', () => {
    const dir = tempTree({ 'src/session.ts': sessionSource });
    const { status, stdout } = runCli(dir);
    expect(status).toBe(1);
    expect(stdout).toContain(`src/session.ts:3:14: "${run}_id" — a session-meaning "run" name; use session_id`);
    expect(stdout).toContain('check-terms: 1 session-meaning "run" name found');
  });

  it('allows legacy-migration code', async () => {
    const dir = tempTree({ 'src/stores/legacy-migration/session.ts': sessionSource });
    const { status, stdout } = runCli(dir);
    expect(stdout).toBe('check-terms: no session-meaning "run" names in 1 files\n');
    expect(status).toBe(0);
    expect(isAllowedPath('db/migrations/0001.sql')).toBe(true);
    expect(isAllowedPath('src/Legacy/reader.test.ts')).toBe(true);
    expect(isAllowedPath('scripts/check-terms.mjs')).toBe(true);
    expect(isAllowedPath('scripts/check-terms-core.mjs')).toBe(false);
    expect(isAllowedPath('src/session.ts')).toBe(false);
  });

  it.each(forbiddenNames)('flags %s', (name) => {
    expect(findTermsInText(`const x = 1;\nfoo(${name});`)).toEqual([{ line: 2, column: 5, match: name }]);
  });

  it.each([
    'running',
    'runToolLoop',
    'rerun',
    'truncate',
    'prune',
    'runtimeKey',
    'runner',
    'isRunning',
    `${run}_index`,
    `${run}Identity`,
    `${run}-ending`,
    `${run}s`,
    `/${run}sheet`,
    `/${run}time`,
    `pre${run}_id`,
    `restart${Run}ning`,
    `current${Run}ning`,
    `${Run}Handler`,
    'turn_id',
    'session_id',
    'inference_id',
  ])('does not flag %s', (word) => {
    expect(findTermsInText(`const x = ${word};`)).toEqual([]);
  });

  it('reports each name once, with 1-based columns, on several lines', () => {
    const text = [`a.${run}_id = b.${run}Ids;`, `// Legacy${Run}ID`, `GET /api/${run}s/1`, `x_${run}_id`].join('\r\n');
    expect(findTermsInText(text)).toEqual([
      { line: 1, column: 3, match: `${run}_id` },
      { line: 1, column: 14, match: `${run}Ids` },
      { line: 2, column: 4, match: `Legacy${Run}ID` },
      { line: 3, column: 9, match: `/${run}s` },
      { line: 4, column: 3, match: `${run}_id` },
    ]);
  });

  it('skips node_modules, dist, lock files, binary files and files over 2 MB', async () => {
    const line = `x = ${run}Id;\n`;
    const dir = tempTree({
      'node_modules/pkg/index.js': line,
      'dist/index.js': line,
      'package-lock.json': line,
      'yarn.lock': line,
      'image.bin': Buffer.concat([Buffer.from(line), Buffer.from([0, 1, 2])]),
      'big.txt': line + 'x'.repeat(2 * 1024 * 1024),
      'src/ok.ts': line,
    });
    expect(await findTermHits(dir)).toEqual([{ path: 'src/ok.ts', line: 1, column: 5, match: `${run}Id` }]);
  });

  it('lists files with git in a checkout, so ignored files are not scanned', async () => {
    const dir = tempTree({ '.gitignore': 'scratch/\n', 'scratch/notes.md': `${run}_id\n`, 'src/a.ts': `${run}_id\n` });
    execFileSync('git', ['init', '--quiet'], { cwd: dir });
    expect(await findTermHits(dir)).toEqual([{ path: 'src/a.ts', line: 1, column: 1, match: `${run}_id` }]);
  });
});
