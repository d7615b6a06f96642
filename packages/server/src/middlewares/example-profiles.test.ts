import { resolve } from 'node:path';
import { builtinTools } from '@cricket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfilesFile } from '../profiles/profiles-file.js';
import { openTestSocket, startTestServer, type TestServer, type TestSocket } from '../testing/index.js';
import { createAgentModeMiddlewareFactory } from './agent-mode/agent-mode-middleware-factory.js';
import { InMemoryAgentModeStore } from './agent-mode/agent-mode-store.js';
import {
  createSqlToolMiddlewareFactory,
  type SqlToolMiddlewareFactory,
} from './sql-tool/sql-tool-middleware-factory.js';
import { buildExampleDatabaseInto, createTempSqliteDir, type TempSqliteDir } from './testing/temp-sqlite.js';

/** The `agent` and `sql` profiles of the repository's profiles.example.yaml, served as documented there. */
describe('the example agent and sql profiles', () => {
  let temp: TempSqliteDir;
  let sql: SqlToolMiddlewareFactory;
  let server: TestServer;

  beforeAll(async () => {
    const registry = loadProfilesFile(resolve(import.meta.dirname, '../../../../profiles.example.yaml'), {});
    const profiles = ['agent', 'sql'].map((slug) => {
      const profile = registry.get(slug);
      if (!profile) throw new Error(`profiles.example.yaml has no ${slug} profile`);
      return profile;
    });
    temp = createTempSqliteDir();
    sql = createSqlToolMiddlewareFactory({ path: buildExampleDatabaseInto(temp.dir) });
    server = await startTestServer({
      profiles,
      middlewares: { agentmode: createAgentModeMiddlewareFactory(new InMemoryAgentModeStore()), sql },
      tools: () => [...builtinTools(), sql.tool],
      paceMs: 0,
    });
  });
  afterAll(async () => {
    await server.close();
    sql.close();
    temp.cleanup();
  });

  async function answers(convId: string, profile: string, prompts: string[]): Promise<string[]> {
    const socket: TestSocket = await openTestSocket(`${server.wsUrl}?conv_id=${convId}`);
    const texts: string[] = [];
    for (const prompt of prompts) {
      const before = socket.events.filter((event) => event.type === 'llm.final').length;
      const response = await fetch(`${server.url}/chat/${profile}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conv_id: convId, prompt }),
      });
      expect([200, 202]).toContain(response.status); // 202: queued behind the previous answer's last steps
      // Each prompt ends with exactly one llm.final (tool-only engine calls send none).
      await socket.waitFor(() => socket.events.filter((event) => event.type === 'llm.final').length > before);
      const finals = socket.events.flatMap((event) => (event.type === 'llm.final' ? [event.data.text ?? ''] : []));
      texts.push(finals.at(-1) ?? '');
    }
    socket.close();
    return texts;
  }

  it('agent: the calculator is refused in chat mode and works after switching to math', async () => {
    const [refused, switched, computed] = await answers('agent-demo', 'agent', [
      'what is 6 * 7?',
      'switch to math',
      'what is 6 * 7?',
    ]);
    expect(refused).toBe('Calculator: tool not allowed: calculator');
    expect(switched).toContain('new_mode: math');
    expect(computed).toBe('Calculator: {"expression":"6 * 7","result":42}');
  });

  it('sql: answers from the example database and refuses a DELETE', async () => {
    const [top, refused] = await answers('sql-demo', 'sql', ['top customers', 'delete all orders']);
    expect(top).toBe(
      'Top customers:\n"customer | spent_eur\\nAda Brook | 228.5\\nBruno Costa | 67.8\\nEmeka Obi | 44"',
    );
    expect(refused).toBe(
      'sql_query refused: only a single SELECT, WITH … SELECT or EXPLAIN statement is allowed, not DELETE',
    );
  });
});
