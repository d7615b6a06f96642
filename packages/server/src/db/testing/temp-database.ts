import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CricketDatabase } from '../cricket-database.js';
import { type OpenDatabaseOptions, openDatabase } from '../open-database.js';

/** A temporary directory holding one database file, for tests against real SQLite files. */
export interface TempDatabaseFile {
  /** The directory (removed by {@link TempDatabaseFile.cleanup}). */
  dir: string;
  /** `<dir>/cricket.db` (not created until opened). */
  path: string;
  /** Opens (or reopens) the file and remembers the handle for cleanup. */
  open(options?: OpenDatabaseOptions): CricketDatabase;
  /** Closes every handle opened through {@link TempDatabaseFile.open} and removes the directory. */
  cleanup(): void;
}

/** Creates a fresh temporary directory (mkdtemp) for a database file. Test support only. */
export function createTempDatabaseFile(prefix = 'cricket-db-'): TempDatabaseFile {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'cricket.db');
  const opened: CricketDatabase[] = [];
  return {
    dir,
    path,
    open(options) {
      const db = openDatabase(path, options);
      opened.push(db);
      return db;
    },
    cleanup() {
      for (const db of opened) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
