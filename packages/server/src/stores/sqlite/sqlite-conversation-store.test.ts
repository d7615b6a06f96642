import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabaseFile, type TempDatabaseFile } from '../../db/testing/temp-database.js';
import type { ConversationRecord } from '../conversation-store.js';
import type { CorruptRowReport } from '../corrupt-row.js';
import { SqliteConversationStore } from './sqlite-conversation-store.js';

function record(convId: string, lastActivityMs: number, extra: Partial<ConversationRecord> = {}): ConversationRecord {
  return { convId, sessionId: `s-${convId}`, profile: 'default', createdAtMs: 100, lastActivityMs, ...extra };
}

describe('SqliteConversationStore', () => {
  let file: TempDatabaseFile;
  let store: SqliteConversationStore;
  const reports: CorruptRowReport[] = [];
  beforeEach(() => {
    file = createTempDatabaseFile();
    reports.length = 0;
    store = new SqliteConversationStore(file.open(), { onCorruptRow: (report) => reports.push(report) });
  });
  afterEach(() => file.cleanup());

  it('saves, replaces and gets conversations', () => {
    store.save(record('c1', 200, { title: 'Hello' }));
    expect(store.get('c1')).toEqual(record('c1', 200, { title: 'Hello' }));
    store.save(record('c1', 300, { profile: 'other' }));
    expect(store.get('c1')).toEqual(record('c1', 300, { profile: 'other' }));
    expect(store.get('missing')).toBeUndefined();
  });

  it('lists the most recently active first, with an optional limit', () => {
    store.save(record('old', 100));
    store.save(record('new', 300));
    store.save(record('mid', 200));
    expect(store.list().map((conversation) => conversation.convId)).toEqual(['new', 'mid', 'old']);
    expect(store.list({ limit: 2 }).map((conversation) => conversation.convId)).toEqual(['new', 'mid']);
  });

  it('touch updates the activity time and sets the title only when none is stored', () => {
    store.save(record('c1', 100));
    store.touch('c1', 500);
    expect(store.get('c1')).toEqual(record('c1', 500));
    store.touch('c1', 600, 'First prompt');
    store.touch('c1', 700, 'Second prompt');
    expect(store.get('c1')).toMatchObject({ lastActivityMs: 700, title: 'First prompt' });
    store.touch('unknown', 800, 'ignored');
    expect(store.get('unknown')).toBeUndefined();
  });

  it('refuses an empty conv id or session id', () => {
    expect(() => store.save(record('', 1))).toThrow(expect.objectContaining({ code: 'store-invalid-argument' }));
    expect(() => store.save(record('c', 1, { sessionId: '' }))).toThrow(
      expect.objectContaining({ code: 'store-invalid-argument' }),
    );
  });

  it('skips and reports a row that does not decode', () => {
    store.save(record('good', 100));
    file.open().raw.prepare("INSERT INTO conversations VALUES ('bad', 's', 'p', 'not a number', 5, NULL)").run();
    expect(store.list().map((conversation) => conversation.convId)).toEqual(['good']);
    expect(store.get('bad')).toBeUndefined();
    expect(reports.map((report) => [report.table, report.key])).toEqual([
      ['conversations', 'bad'],
      ['conversations', 'bad'],
    ]);
  });

  it('keeps its data across a reopen', () => {
    store.save(record('c1', 100, { title: 't' }));
    const reopened = new SqliteConversationStore(file.open());
    expect(reopened.get('c1')).toEqual(record('c1', 100, { title: 't' }));
  });
});
