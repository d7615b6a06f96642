import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabaseFile, type TempDatabaseFile } from '../../db/testing/temp-database.js';
import type { CorruptRowReport } from '../corrupt-row.js';
import { describeTimelineStoreContract } from '../timeline-store.contract.js';
import { SqliteTimelineStore } from './sqlite-timeline-store.js';

const files: TempDatabaseFile[] = [];
afterEach(() => {
  for (const file of files.splice(0)) file.cleanup();
});
function tempFile(): TempDatabaseFile {
  const file = createTempDatabaseFile();
  files.push(file);
  return file;
}

describeTimelineStoreContract('SqliteTimelineStore', () => new SqliteTimelineStore(tempFile().open()));

/** The reference system's timeline DDL, verbatim: no `created_version` column. */
const referenceDdl = `
CREATE TABLE IF NOT EXISTS timeline_versions (conv_id TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS timeline_entities (
  conv_id TEXT NOT NULL, entity_id TEXT NOT NULL, kind TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL, version INTEGER NOT NULL,
  entity_json TEXT NOT NULL, PRIMARY KEY (conv_id, entity_id));
CREATE INDEX IF NOT EXISTS timeline_entities_by_version ON timeline_entities(conv_id, version);
CREATE INDEX IF NOT EXISTS timeline_entities_by_created ON timeline_entities(conv_id, created_at_ms);
`;

describe('SqliteTimelineStore', () => {
  let file: TempDatabaseFile;
  beforeEach(() => {
    file = tempFile();
  });

  it('keeps its data across close and reopen of the file', () => {
    const first = new SqliteTimelineStore(file.open(), { closeDatabase: true });
    first.upsert('c1', 4, [{ id: 'm', kind: 'message', message: { role: 'user', content: 'hi' } }], 1000);
    first.close();
    const second = new SqliteTimelineStore(file.open());
    expect(second.version('c1')).toBe(4);
    expect(second.snapshot('c1').entities).toEqual([
      {
        id: 'm',
        kind: 'message',
        createdAtMs: '1000',
        updatedAtMs: '1000',
        createdVersion: '4',
        message: { role: 'user', content: 'hi' },
      },
    ]);
  });

  it('opens a database written by the reference system and reads its rows', () => {
    const raw = new Database(file.path);
    raw.exec(referenceDdl);
    const insert = raw.prepare('INSERT INTO timeline_entities VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run(
      'conv',
      'user-t1',
      'message',
      1000,
      1000,
      3,
      '{"id":"user-t1","kind":"message","createdAtMs":"1000","updatedAtMs":"1000","message":{"schemaVersion":1,"role":"user","content":"hello"}}',
    );
    insert.run(
      'conv',
      'call-1',
      'tool_call',
      1100,
      1500,
      9,
      '{"id":"call-1","kind":"tool_call","createdAtMs":"1100","updatedAtMs":"1500","toolCall":{"name":"ls","input":{"path":"/"},"status":"completed","progress":1,"done":true},"someFutureField":true}',
    );
    raw.prepare('INSERT INTO timeline_versions VALUES (?, ?)').run('conv', 9);
    raw.close();

    const db = file.open();
    expect(db.migration.applied).toContain('0001-initial-schema');
    const store = new SqliteTimelineStore(db);
    const snapshot = store.snapshot('conv');
    expect(snapshot.version).toBe('9');
    expect(snapshot.entities).toEqual([
      {
        id: 'user-t1',
        kind: 'message',
        createdAtMs: '1000',
        updatedAtMs: '1000',
        createdVersion: '3',
        message: { schemaVersion: 1, role: 'user', content: 'hello' },
      },
      {
        id: 'call-1',
        kind: 'tool_call',
        createdAtMs: '1100',
        updatedAtMs: '1500',
        createdVersion: '9',
        toolCall: { name: 'ls', input: { path: '/' }, status: 'completed', progress: 1, done: true },
      },
    ]);
    // Rows the reference wrote are not marked verified: the JSON text is decoded, so an unknown field is
    // dropped and `createdVersion` comes from the column, exactly as in `snapshot`.
    expect(JSON.parse(store.snapshotJson('conv').toString()).entities).toEqual(snapshot.entities);
    store.upsert('conv', 12, [{ id: 'user-t1', kind: 'message', message: { role: 'user', content: 'edited' } }], 2000);
    expect(store.snapshot('conv', { sinceVersion: 9 }).entities?.[0]).toMatchObject({
      createdAtMs: '1000',
      createdVersion: '3',
      updatedAtMs: '2000',
    });
  });

  it('skips rows that do not decode and reports them', () => {
    const reports: CorruptRowReport[] = [];
    const db = file.open();
    const store = new SqliteTimelineStore(db, { onCorruptRow: (report) => reports.push(report) });
    store.upsert('c1', 1, [{ id: 'good', kind: 'message', message: { content: 'ok' } }], 1);
    const insert = db.raw.prepare(
      'INSERT INTO timeline_entities (conv_id, entity_id, kind, created_at_ms, updated_at_ms, version, entity_json) VALUES (?, ?, ?, 1, 1, ?, ?)',
    );
    insert.run('c1', 'broken-json', 'message', 2, '{"id":"broken-json",');
    insert.run('c1', 'wrong-shape', 'message', 3, '{"id":"wrong-shape","kind":"message","message":{"content":42}}');
    insert.run('c1', 'not-object', 'message', 4, '[1,2]');
    insert.run('c1', 'other-id', 'message', 5, '{"id":"someone-else","kind":"message"}');
    insert.run('c1', 'text-version', 'message', 'six', '{"id":"text-version","kind":"message"}');
    expect(store.snapshot('c1').entities?.map((entity) => entity.id)).toEqual(['good']);
    const fromSnapshot = reports.splice(0).map((report) => report.key);
    const fromJson = JSON.parse(store.snapshotJson('c1').toString());
    expect(fromJson.entities.map((entity: { id: string }) => entity.id)).toEqual(['good']);
    // snapshotJson skips and reports the same rows.
    expect(reports.map((report) => report.key)).toEqual(fromSnapshot);
    expect(reports.map((report) => report.key).sort()).toEqual([
      'c1/broken-json',
      'c1/not-object',
      'c1/other-id',
      'c1/text-version',
      'c1/wrong-shape',
    ]);
    expect(store.version('c1')).toBe(5);
    expect(reports.every((report) => report.table === 'timeline_entities' && report.reason !== '')).toBe(true);
    expect(store.entities('c1')).toHaveLength(1);
  });

  it('sends rows it wrote as stored, and marks a row verified again when it rewrites it', () => {
    const db = file.open();
    const store = new SqliteTimelineStore(db);
    store.upsert(
      'c1',
      1,
      [{ id: 'm', kind: 'message', message: { role: 'assistant', content: 'ünïcode "quoted"' } }],
      7,
    );
    const [stored, verified] = db.raw
      .prepare("SELECT entity_json, json_verified FROM timeline_entities WHERE entity_id = 'm'")
      .raw(true)
      .get() as [string, number];
    expect(verified).toBe(1);
    expect(store.snapshotJson('c1').toString()).toContain(`"entities":[${stored}]`);
    db.raw.exec("UPDATE timeline_entities SET json_verified = 0 WHERE entity_id = 'm'");
    expect(JSON.parse(store.snapshotJson('c1').toString()).entities).toEqual(store.snapshot('c1').entities);
    store.upsert('c1', 2, [{ id: 'm', kind: 'message', message: { content: 'again' } }], 8);
    expect(db.raw.prepare("SELECT json_verified FROM timeline_entities WHERE entity_id = 'm'").pluck().get()).toBe(1);
  });

  it('joins an outer transaction: rolling it back stores nothing', () => {
    const db = file.open();
    const store = new SqliteTimelineStore(db);
    expect(() =>
      db.transaction(() => {
        store.upsert('c1', 1, [{ id: 'a', kind: 'message' }], 1);
        throw new Error('pipeline failed');
      }),
    ).toThrow('pipeline failed');
    expect(store.version('c1')).toBe(0);
    expect(store.entities('c1')).toEqual([]);
  });
});
