import { describe, expect, it } from 'vitest';
import { ToolError } from '../../errors/tool-error.js';
import type { ToolExecutionContext } from '../tool-definition.js';
import { createCurrentTimeTool, currentTimeTool } from './current-time.js';

const context: ToolExecutionContext = {
  signal: new AbortController().signal,
  callId: 'c1',
  toolName: 'current_time',
  metadata: () => ({ message_id: 'm1' }),
  publish: () => {},
};

const fixed = new Date('2026-11-24T12:05:09.250Z');
const tool = createCurrentTimeTool(() => fixed);
const call = (args: unknown) => tool.execute(tool.parse(args), context);

describe('current_time', () => {
  it('defaults to UTC', async () => {
    expect(await call({})).toEqual({
      iso: '2026-11-24T12:05:09.250Z',
      timezone: 'UTC',
      local: '2026-11-24 12:05:09',
      unix_ms: fixed.getTime(),
    });
  });

  it('formats wall-clock time in the given zone', async () => {
    expect(await call({ timezone: 'UTC' })).toMatchObject({ timezone: 'UTC', local: '2026-11-24 12:05:09' });
    expect(await call({ timezone: 'Europe/Paris' })).toEqual({
      iso: '2026-11-24T12:05:09.250Z',
      timezone: 'Europe/Paris',
      local: '2026-11-24 13:05:09',
      unix_ms: fixed.getTime(),
    });
    // Summer time, a date change, and a 24-hour clock at midnight.
    const summer = createCurrentTimeTool(() => new Date('2026-07-01T22:30:00Z'));
    expect(await summer.execute({ timezone: 'Europe/Paris' }, context)).toMatchObject({ local: '2026-07-02 00:30:00' });
    expect(await summer.execute({ timezone: 'America/New_York' }, context)).toMatchObject({
      local: '2026-07-01 18:30:00',
    });
  });

  it('canonicalises the zone name', async () => {
    expect(await call({ timezone: 'europe/paris' })).toMatchObject({ timezone: 'Europe/Paris' });
  });

  it('rejects an unknown zone with a clear ToolError', async () => {
    await expect(async () => call({ timezone: 'Mars/Olympus' })).rejects.toThrow(
      expect.objectContaining({
        name: 'ToolError',
        code: 'tool-invalid-arguments',
        message: expect.stringContaining('unknown time zone "Mars/Olympus"'),
      }),
    );
  });

  it('parse rejects wrong types and empty names', () => {
    expect(() => tool.parse({ timezone: 5 })).toThrow(ToolError);
    expect(() => tool.parse({ timezone: '' })).toThrow(ToolError);
    expect(tool.parse({})).toEqual({});
  });

  it('reports a broken clock as tool-failed', async () => {
    const broken = createCurrentTimeTool(() => new Date(Number.NaN));
    await expect(async () => broken.execute({}, context)).rejects.toThrow(
      expect.objectContaining({ code: 'tool-failed' }),
    );
  });

  it('the default tool reads the system clock', async () => {
    const before = Date.now();
    const result = await currentTimeTool.execute({}, context);
    expect(result.unix_ms).toBeGreaterThanOrEqual(before);
    expect(result.unix_ms).toBeLessThanOrEqual(Date.now());
    expect(new Date(result.iso).getTime()).toBe(result.unix_ms);
  });
});
