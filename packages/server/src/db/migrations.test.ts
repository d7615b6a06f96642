import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../stores/store-error.js';
import type { LegacyMigration, Migration } from './migration.js';
import { runMigrations } from './migrations.js';
import { cricketMigrations } from './schema-migrations.js';
import { columnNames, indexExists, readUserVersion, tableExists } from './sqlite-introspection.js';
import { createTempDatabaseFile, type TempDatabaseFile } from './testing/temp-database.js';

const cricketTables = [
  'conversations',
  'event_log',
  'timeline_versions',
  'timeline_entities',
  'turns',
  'chat_requests',
  'agent_mode_changes',
];
const cricketIndexes = [
  'timeline_entities_by_version',
  'timeline_entities_by_created',
  'turns_by_conv',
  'turns_by_session',
  'turns_by_phase',
  'chat_requests_by_conv_status',
  'idx_agent_mode_changes_session_id_at',
];

function schemaDump(db: Database.Database): unknown[] {
  return db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
}

function migration(version: number, name: string, up: (db: Database.Database) => void): Migration {
  return { version, name, up };
}

describe('runMigrations', () => {
  let file: TempDatabaseFile;
  beforeEach(() => {
    file = createTempDatabaseFile();
  });
  afterEach(() => file.cleanup());

  it('brings a fresh database to the latest version with every table and index', () => {
    const db = file.open();
    expect(db.migration).toEqual({
      fromVersion: 0,
      toVersion: 3,
      legacyApplied: [],
      applied: ['0001-initial-schema', '0002-agent-mode-changes', '0003-timeline-json-verified'],
    });
    expect(readUserVersion(db.raw)).toBe(cricketMigrations.length);
    for (const table of cricketTables) expect(tableExists(db.raw, table), table).toBe(true);
    for (const index of cricketIndexes) expect(indexExists(db.raw, index), index).toBe(true);
    expect([...columnNames(db.raw, 'timeline_entities')]).toEqual([
      'conv_id',
      'entity_id',
      'kind',
      'created_at_ms',
      'updated_at_ms',
      'version',
      'entity_json',
      'created_version',
      'json_verified',
    ]);
    expect([...columnNames(db.raw, 'turns')]).toEqual([
      'conv_id',
      'session_id',
      'turn_id',
      'phase',
      'created_at_ms',
      'payload',
    ]);
    expect(db.integrityCheck()).toBe('ok');
  });

  it('is a no-op on reopen', () => {
    const first = file.open();
    const before = schemaDump(first.raw);
    first.close();
    const second = file.open();
    expect(second.migration).toEqual({ fromVersion: 3, toVersion: 3, legacyApplied: [], applied: [] });
    expect(schemaDump(second.raw)).toEqual(before);
    expect(runMigrations(second.raw).applied).toEqual([]);
  });

  it('refuses a database written by a newer Cricket and leaves it untouched', () => {
    const raw = new Database(file.path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => file.open()).toThrow(
      expect.objectContaining({ name: 'StoreError', code: 'store-schema-too-new', blame: 'system' }),
    );
    const check = new Database(file.path);
    expect(readUserVersion(check)).toBe(99);
    expect(tableExists(check, 'turns')).toBe(false);
    check.close();
  });

  it('rolls the whole sequence back when one migration fails: the file keeps the version found on open', () => {
    const failing = migration(2, 'half-done', (db) => {
      db.exec('CREATE TABLE half_a (x INTEGER); CREATE TABLE half_b (y INTEGER)');
      db.exec('INSERT INTO half_a VALUES (1)');
      throw new Error('disk on fire');
    });
    const good = migration(1, 'good', (db) => db.exec('CREATE TABLE good (x INTEGER)'));
    let thrown: unknown;
    try {
      file.open({ migrations: [good, failing] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoreError);
    expect(thrown).toMatchObject({
      code: 'store-migration-failed',
      message: expect.stringContaining('0002-half-done'),
    });
    expect(thrown).toHaveProperty('cause', expect.objectContaining({ message: 'disk on fire' }));

    const raw = new Database(file.path);
    expect(readUserVersion(raw)).toBe(0);
    expect(tableExists(raw, 'good')).toBe(false);
    expect(tableExists(raw, 'half_a')).toBe(false);
    expect(tableExists(raw, 'half_b')).toBe(false);
    raw.close();

    const fixed = migration(2, 'half-done', (db) => db.exec('CREATE TABLE half_a (x INTEGER)'));
    expect(file.open({ migrations: [good, fixed] }).migration.applied).toEqual(['0001-good', '0002-half-done']);
  });

  it('leaves version 0 and no tables when the first migration fails midway', () => {
    const failing = migration(1, 'boom', (db) => {
      db.exec('CREATE TABLE one (x INTEGER)');
      throw new Error('boom');
    });
    expect(() => file.open({ migrations: [failing] })).toThrow(
      expect.objectContaining({ code: 'store-migration-failed' }),
    );
    const raw = new Database(file.path);
    expect(readUserVersion(raw)).toBe(0);
    expect(tableExists(raw, 'one')).toBe(false);
    raw.close();
  });

  it('refuses a migration list whose versions are not 1, 2, 3, …', () => {
    const list = [migration(1, 'a', () => {}), migration(3, 'c', () => {})];
    expect(() => file.open({ migrations: list })).toThrow(
      expect.objectContaining({ code: 'store-migration-list-invalid' }),
    );
  });

  it('runs legacy migrations first, each only when needed', () => {
    const order: string[] = [];
    const legacy: LegacyMigration = {
      name: 'rename-old-things',
      description: 'renames old_things to things',
      needed: (db) => tableExists(db, 'old_things'),
      apply: (db) => {
        order.push('legacy');
        db.exec('ALTER TABLE old_things RENAME TO things');
      },
    };
    const versioned = migration(1, 'uses-things', (db) => {
      order.push('versioned');
      db.exec('CREATE TABLE IF NOT EXISTS things (x INTEGER); CREATE INDEX IF NOT EXISTS things_x ON things(x)');
    });
    const raw = new Database(file.path);
    raw.exec('CREATE TABLE old_things (x INTEGER); INSERT INTO old_things VALUES (7)');
    raw.close();

    const db = file.open({ migrations: [versioned], legacyMigrations: [legacy] });
    expect(order).toEqual(['legacy', 'versioned']);
    expect(db.migration.legacyApplied).toEqual(['rename-old-things']);
    expect(db.raw.prepare('SELECT x FROM things').pluck().all()).toEqual([7]);
    db.close();
    expect(file.open({ migrations: [versioned], legacyMigrations: [legacy] }).migration.legacyApplied).toEqual([]);
  });

  it("adopts the reference system's current tables and keeps their rows", () => {
    const raw = new Database(file.path);
    raw.exec(`
      CREATE TABLE IF NOT EXISTS turns (
        conv_id TEXT NOT NULL, session_id TEXT NOT NULL, turn_id TEXT NOT NULL, phase TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL, payload TEXT NOT NULL,
        PRIMARY KEY (conv_id, session_id, turn_id, phase, created_at_ms));
      INSERT INTO turns VALUES ('c', 's', 't', 'final', 5, 'yaml');
      CREATE TABLE IF NOT EXISTS timeline_entities (
        conv_id TEXT NOT NULL, entity_id TEXT NOT NULL, kind TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL, version INTEGER NOT NULL,
        entity_json TEXT NOT NULL, PRIMARY KEY (conv_id, entity_id));
      INSERT INTO timeline_entities VALUES ('c', 'e', 'message', 1, 2, 8, '{"id":"e","kind":"message"}');
    `);
    raw.close();
    const db = file.open();
    expect(db.raw.prepare('SELECT payload FROM turns').pluck().all()).toEqual(['yaml']);
    expect(db.raw.prepare('SELECT created_version FROM timeline_entities').pluck().all()).toEqual([8]);
    for (const index of cricketIndexes) expect(indexExists(db.raw, index), index).toBe(true);
    expect(db.integrityCheck()).toBe('ok');
  });

  it('refuses a pre-rename turns table (run_id) with a clear error until a legacy migration handles it', () => {
    const raw = new Database(file.path);
    raw.exec(`CREATE TABLE turns (
      conv_id TEXT NOT NULL, run_id TEXT NOT NULL, turn_id TEXT NOT NULL, phase TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL, payload TEXT NOT NULL,
      PRIMARY KEY (conv_id, run_id, turn_id, phase, created_at_ms))`);
    raw.close();
    // Without the legacy migrations (Cricket's own handles this layout: see legacy-turns.test.ts).
    expect(() => file.open({ legacyMigrations: [] })).toThrow(
      expect.objectContaining({ code: 'store-legacy-schema', message: expect.stringContaining('run_id') }),
    );
    const check = new Database(file.path);
    expect(readUserVersion(check)).toBe(0);
    expect(tableExists(check, 'conversations')).toBe(false);
    check.close();
  });
});
