// Core of the vocabulary gate (see check-terms.mjs). Cricket never calls a session, an inference or a
// turn a "run"; this module finds names that do. The forbidden names are assembled from pieces so that
// no line of this file spells one out (a separate hook greps the repository for them literally).

import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** @typedef {{ path: string, line: number, column: number, match: string }} TermHit */

/** Files larger than this are skipped (generated data, not hand-written names). */
export const maxFileBytes = 2 * 1024 * 1024;

const r = 'run';
const R = 'Run';
/** Not preceded by a letter or digit: `_` and punctuation may come before (`legacy_` prefixes count). */
const start = '(?<![A-Za-z0-9])';
/** Not followed by a lower-case letter or digit, so camelCase words continue (`…Running` is fine). */
const camelEnd = '(?![a-z0-9])';
/** Not followed by a letter or digit. */
const wordEnd = '(?![A-Za-z0-9])';

/**
 * Every forbidden name, one alternative each, matched case-sensitively. Alternatives are tried
 * leftmost-first, so a longer name (the legacy-prefixed ID form) is reported once, not twice.
 */
const forbiddenSources = [
  `${start}${r}_ids?${wordEnd}`, // snake_case id and ids
  `${start}${r}-(?:id|end)${wordEnd}`, // kebab-case id and end event
  `${start}${r}Ids?${camelEnd}`, // camelCase id and ids
  `(?:Legacy)?${R}IDs?${camelEnd}`, // Go-style ID, with or without the Legacy prefix
  `selected${R}Id${camelEnd}`,
  `Distinct${R}s${camelEnd}`,
  `/${r}s(?![A-Za-z0-9_-])`, // a path segment
  `${R}Handle${camelEnd}`,
  `${start}start${R}${camelEnd}`,
  `${start}current${R}${camelEnd}`,
];

const forbidden = new RegExp(forbiddenSources.join('|'), 'g');

/** The explanation printed after every hit. */
export const termHitAdvice =
  `a session-meaning "${r}" name; use session_id / inference_id / turn_id ` +
  `(only legacy-migration code may read old ${r}_id columns)`;

const skippedDirectories = new Set(['node_modules', 'dist', '.git']);
const lockFiles = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'Cargo.lock',
  'go.sum',
]);
const allowedSegment = /legacy|migrat/i;
const selfPath = 'scripts/check-terms.mjs';

/**
 * True when `relativePath` (forward slashes) may use the old names: legacy-database migration code,
 * its tests and fixtures (any path segment matching /legacy|migrat/i), and the gate's own CLI.
 *
 * @param {string} relativePath
 * @returns {boolean}
 */
export function isAllowedPath(relativePath) {
  return relativePath === selfPath || relativePath.split('/').some((segment) => allowedSegment.test(segment));
}

/**
 * True when the file is never scanned: dependency, build or VCS folders and lock files.
 *
 * @param {string} relativePath
 */
function isSkippedPath(relativePath) {
  const segments = relativePath.split('/');
  const base = segments.at(-1) ?? '';
  return (
    segments.slice(0, -1).some((segment) => skippedDirectories.has(segment)) ||
    lockFiles.has(base) ||
    base.endsWith('.lock')
  );
}

/**
 * The forbidden names in `text`, with 1-based line and column (columns count UTF-16 code units).
 * Pure; does not look at allowed paths.
 *
 * @param {string} text
 * @returns {Array<Omit<TermHit, 'path'>>}
 */
export function findTermsInText(text) {
  /** @type {Array<Omit<TermHit, 'path'>>} */
  const hits = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    for (const match of (lines[index] ?? '').matchAll(forbidden)) {
      hits.push({ line: index + 1, column: match.index + 1, match: match[0] });
    }
  }
  return hits;
}

/**
 * Paths (relative, forward slashes) git tracks or would track below `rootDir`, or null outside a checkout.
 *
 * @param {string} rootDir
 * @returns {Promise<string[] | null>}
 */
async function gitFiles(rootDir) {
  try {
    const { stdout } = await execFileAsync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
      cwd: rootDir,
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    return stdout.split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/**
 * Every regular file below `rootDir` (symlinks are not followed), skipping dependency/build/VCS folders.
 *
 * @param {string} rootDir
 * @returns {Promise<string[]>}
 */
async function walkFiles(rootDir) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} relativeDir */
  const visit = async (relativeDir) => {
    const entries = await readdir(path.join(rootDir, relativeDir), { withFileTypes: true });
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skippedDirectories.has(entry.name)) await visit(relative);
      } else if (entry.isFile()) {
        files.push(relative);
      }
    }
  };
  await visit('');
  return files;
}

/**
 * The text of a file worth scanning, or null when it is missing, not a regular file, too big or binary.
 *
 * @param {string} absolutePath
 * @returns {Promise<string | null>}
 */
async function readScannableText(absolutePath) {
  let info;
  try {
    info = await stat(absolutePath);
  } catch {
    return null; // tracked but deleted in the working tree
  }
  if (!info.isFile() || info.size > maxFileBytes) return null;
  const bytes = await readFile(absolutePath);
  if (bytes.includes(0)) return null;
  return bytes.toString('utf8');
}

/**
 * Scans `rootDir`: the files git lists (`git ls-files -co --exclude-standard`) when it is inside a
 * checkout, otherwise every file below it; `node_modules`, `dist`, `.git`, lock files, binary files
 * (with a NUL byte) and files over 2 MB are skipped, and allowed paths (see {@link isAllowedPath}) are
 * read but never reported. Resolves to the hits sorted by path, line and column, and the number of
 * files scanned. Rejects when `rootDir` cannot be read.
 *
 * @param {string} rootDir
 * @returns {Promise<{ hits: TermHit[], filesScanned: number }>}
 */
export async function scanTerms(rootDir) {
  const root = path.resolve(rootDir);
  const listed = (await gitFiles(root)) ?? (await walkFiles(root));
  const candidates = [...new Set(listed.map((file) => file.split(path.sep).join('/')))]
    .filter((file) => !isSkippedPath(file))
    .sort();
  /** @type {TermHit[]} */
  const hits = [];
  let filesScanned = 0;
  const queue = [...candidates];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const text = await readScannableText(path.join(root, file));
      if (text === null) continue;
      filesScanned++;
      if (isAllowedPath(file)) continue;
      for (const hit of findTermsInText(text)) hits.push({ path: file, ...hit });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  hits.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column));
  return { hits, filesScanned };
}

/**
 * The forbidden names below `rootDir` outside allowed paths, as `{ path, line, column, match }`
 * (path relative to `rootDir` with forward slashes; line and column 1-based), sorted. See {@link scanTerms}.
 *
 * @param {string} rootDir
 * @returns {Promise<TermHit[]>}
 */
export async function findTermHits(rootDir) {
  return (await scanTerms(rootDir)).hits;
}

/**
 * One report line: `path:line:column: "<match>" — <advice>`.
 *
 * @param {TermHit} hit
 * @returns {string}
 */
export function formatTermHit(hit) {
  return `${hit.path}:${hit.line}:${hit.column}: ${JSON.stringify(hit.match)} — ${termHitAdvice}`;
}
