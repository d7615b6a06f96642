import { builtinTools } from '@cricket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestSocket, scriptedProfile, startTestServer, type TestServer } from '../../testing/index.js';
import { sqlScript } from '../testing/sql-loop-harness.js';
import {
  buildExampleDatabaseInto,
  createTempSqliteDir,
  dumpDatabase,
  type TempSqliteDir,
} from '../testing/temp-sqlite.js';
import { createSqlToolMiddlewareFactory, type SqlToolMiddlewareFactory } from './sql-tool-middleware-factory.js';

interface TimelineEntity {
  kind: string;
  toolResult?: { error?: string; resultRaw?: string };
}

describe('sql tool through the chat server (offered through ChatServerOptions.tools)', () => {
  let temp: TempSqliteDir;
  let database: string;
  let factory: SqlToolMiddlewareFactory;
  let server: TestServer;

  beforeAll(async () => {
    temp = createTempSqliteDir();
    database = buildExampleDatabaseInto(temp.dir);
    factory = createSqlToolMiddlewareFactory({ path: database });
    server = await startTestServer({
      profiles: [scriptedProfile('sql', { script: sqlScript, middlewares: [{ name: 'sql' }], tools: ['sql_query'] })],
      middlewares: { sql: factory },
      tools: () => [...builtinTools(), factory.tool],
    });
  });
  afterAll(async () => {
    await server.close();
    factory.close();
    temp.cleanup();
  });

  it('answers a SELECT and refuses a DELETE, leaving the database as it was', async () => {
    const before = dumpDatabase(database);
    const socket = await openTestSocket(`${server.wsUrl}?conv_id=shop`);
    for (const prompt of ['q:top-customers', 'q:delete']) {
      const response = await fetch(`${server.url}/chat/sql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conv_id: 'shop', prompt }),
      });
      expect([200, 202]).toContain(response.status); // the second one queues behind the first
    }
    await socket.waitFor(
      (event) => event.type === 'llm.final' && (event.data.text ?? '').startsWith('sql_query refused'),
    );
    socket.close();
    const timeline = (await (await fetch(`${server.url}/timeline?conv_id=shop`)).json()) as {
      entities: TimelineEntity[];
    };
    const results = timeline.entities.filter((entity) => entity.kind === 'tool_result');
    expect(results.map((entity) => entity.toolResult?.error ?? entity.toolResult?.resultRaw)).toEqual([
      JSON.stringify('customer | spent_cents\nAda Brook | 22850\nBruno Costa | 6780\nEmeka Obi | 4400'),
      'sql_query refused: only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not DELETE',
    ]);
    expect(dumpDatabase(database)).toBe(before);
  });
});
