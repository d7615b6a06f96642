import { ConfigurationError, createTurn, llmTextBlock } from '@cricket/core';
import { createTestContext } from '@cricket/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedProfile } from '../../testing/start-test-server.js';
import { askSql } from '../testing/sql-loop-harness.js';
import { buildExampleDatabaseInto, createTempSqliteDir, type TempSqliteDir } from '../testing/temp-sqlite.js';
import { contributedTools } from '../tool-contributing-middleware.js';
import { createSqlToolMiddlewareFactory, type SqlToolMiddlewareFactory } from './sql-tool-middleware-factory.js';

let temp: TempSqliteDir;
let factory: SqlToolMiddlewareFactory;
const context = { convId: 'c1', sessionId: 's1', profile: scriptedProfile('sql') };

beforeAll(() => {
  temp = createTempSqliteDir();
  factory = createSqlToolMiddlewareFactory({ path: buildExampleDatabaseInto(temp.dir) });
});
afterAll(() => {
  factory.close();
  temp.cleanup();
});

describe('createSqlToolMiddlewareFactory over the example database', () => {
  it('describes the example schema, view and prompts', () => {
    const { description } = factory.tool;
    for (const table of ['customers', 'order_items', 'orders', 'products']) {
      expect(description).toContain(`CREATE TABLE ${table} (`);
    }
    expect(description).toContain('CREATE VIEW order_totals AS');
    expect(description).not.toContain('orders_by_customer');
    expect(description).toContain('Prompts:\n- Which customers spent the most, in euros?');
    expect(factory.tool.tags).toEqual(['sqlite', 'sql']);
    expect(factory.tool.version).toBe('1.0');
  });

  it('answers a query on the view through the tool loop', async () => {
    const outcome = await askSql([factory.tool], 'q:top-customers');
    expect(JSON.parse(outcome.result ?? '')).toBe(
      'customer | spent_cents\nAda Brook | 22850\nBruno Costa | 6780\nEmeka Obi | 4400',
    );
  });

  it('returns a pass-through middleware that contributes sql_query with the profile caps', async () => {
    const middleware = factory({ max_rows: 3, timeout: '2s' }, context);
    const [tool] = contributedTools(middleware);
    expect(tool?.name).toBe('sql_query');
    expect(tool?.description).toContain('At most 3 rows, 50 lines and 4096 bytes');
    expect(tool?.description).toContain('longer than 2 s are stopped');
    expect(contributedTools(factory({ max_rows: 3, timeout: '2s' }, context))[0]).toBe(tool);
    expect(contributedTools(factory({}, context))[0]).toBe(factory.tool);
    const turn = createTurn({ blocks: [llmTextBlock('unchanged')] });
    const handled = await middleware(async (value) => value)(turn, createTestContext());
    expect(handled).toBe(turn);
    expect(contributedTools((next) => next)).toEqual([]);
  });

  it('refuses invalid profile config, naming the profile', () => {
    expect(() => factory({ path: '/etc/passwd' }, context)).toThrow(
      new ConfigurationError('profile "sql": middleware sql config: path: unknown key'),
    );
    expect(() => factory({ timeout: 'soon' }, context)).toThrow('timeout: invalid duration "soon"');
    expect(() => factory({ max_output_bytes: 10 }, context)).toThrow(/max_output_bytes: Too small/);
  });
});
