#!/usr/bin/env node
// Vocabulary gate: Cricket never calls a session, an inference or a turn a "run".
//
// Usage: node scripts/check-terms.mjs [dir]   (dir defaults to the repository root)
//
// Prints `path:line:column: "<match>" — <advice>` for every forbidden name outside legacy-migration
// code and exits 1, or prints a one-line summary and exits 0. Exit 2 means the scan itself failed.
// The logic lives in check-terms-core.mjs; no line here spells a forbidden name out, because a
// separate hook greps the repository for them.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTermHit, scanTerms } from './check-terms-core.mjs';

const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const rootDir = path.resolve(process.argv[2] ?? repoRoot);

try {
  const { hits, filesScanned } = await scanTerms(rootDir);
  if (hits.length > 0) {
    for (const hit of hits) console.log(formatTermHit(hit));
    console.log(`check-terms: ${hits.length} session-meaning "run" name${hits.length === 1 ? '' : 's'} found`);
    process.exitCode = 1;
  } else {
    console.log(`check-terms: no session-meaning "run" names in ${filesScanned} files`);
  }
} catch (error) {
  console.error(`check-terms: cannot scan ${rootDir}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
