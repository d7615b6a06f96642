import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TurnError } from '../errors/turn-error.js';
import { dataKey, formatKeyId, parseKeyId, turnMetaKey } from './typed-key.js';
import { createTurnData, createTurnMetadata } from './typed-store.js';
import { sessionIdKey, toolConfigKey, usageKey } from './well-known-keys.js';

describe('typed keys', () => {
  it('formats and parses namespace.name@vN ids', () => {
    expect(formatKeyId('geppetto', 'session_id', 1)).toBe('geppetto.session_id@v1');
    expect(parseKeyId('acme.app.setting@v12')).toEqual({ namespace: 'acme', name: 'app.setting', version: 12 });
    expect(sessionIdKey.id).toBe('geppetto.session_id@v1');
  });

  it.each([
    ['', 'name', 1],
    ['ns', '', 1],
    ['ns', 'name', 0],
    ['ns', 'name', 1.5],
    ['bad space', 'name', 1],
  ])('rejects invalid parts %j/%j/%j with a typed error', (namespace, name, version) => {
    expect(() => dataKey(namespace, name, version, z.string())).toThrowError(TurnError);
  });

  it('rejects malformed ids', () => {
    for (const id of ['nodot@v1', 'ns.name', 'ns.name@v0', 'ns.name@1']) {
      expect(() => parseKeyId(id), id).toThrow(/expected namespace.name@vN/);
    }
  });
});

describe('typed stores', () => {
  it('returns undefined for a missing key and the value for a present one', () => {
    const metadata = createTurnMetadata();
    expect(metadata.get(sessionIdKey)).toBeUndefined();
    metadata.set(sessionIdKey, 'session-1');
    expect(metadata.get(sessionIdKey)).toBe('session-1');
    expect(metadata.has(sessionIdKey)).toBe(true);
    expect(metadata.size).toBe(1);
  });

  it('coerces generic values loaded from YAML into the key type', () => {
    const data = createTurnData([
      [
        toolConfigKey.id,
        { enabled: false, execution_timeout: '2s', max_parallel_tools: 1, retry_config: { backoff_base: '100ms' } },
      ],
    ]);
    const config = data.get(toolConfigKey);
    expect(config?.enabled).toBe(false);
    expect(config?.execution_timeout_ms).toBe(2000);
    expect(config?.retry_config.backoff_base_ms).toBe(100);
    expect(config?.tool_choice).toBe('auto');
  });

  it('accepts the reference encoding of durations as nanoseconds', () => {
    const data = createTurnData([[toolConfigKey.id, { execution_timeout: 30_000_000_000 }]]);
    expect(data.get(toolConfigKey)?.execution_timeout_ms).toBe(30_000);
  });

  it('reports a value that does not decode, naming the store and key', () => {
    const metadata = createTurnMetadata([[usageKey.id, { input_tokens: 'many' }]]);
    expect(() => metadata.get(usageKey)).toThrowError(
      /turn-metadata key geppetto.usage@v1: stored value does not decode/,
    );
    try {
      metadata.get(usageKey);
    } catch (error) {
      expect(error).toBeInstanceOf(TurnError);
      expect((error as TurnError).code).toBe('key-decode-failed');
    }
  });

  it.each([
    ['a function', () => 1],
    ['a bigint', 10n],
    ['a symbol', Symbol('x')],
    ['NaN', Number.NaN],
    ['a Map', new Map()],
    ['a nested class instance', { when: new Date() }],
  ])('set rejects %s as not serialisable', (_label, value) => {
    const key = dataKey('test', 'anything', 1, z.unknown());
    const data = createTurnData();
    expect(() => data.set(key, value)).toThrowError(expect.objectContaining({ code: 'value-not-serializable' }));
    expect(data.has(key)).toBe(false);
  });

  it('set rejects cycles', () => {
    const key = dataKey('test', 'anything', 1, z.unknown());
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => createTurnData().set(key, cyclic)).toThrow(/cycle/);
  });

  it('set rejects values that fail the key schema', () => {
    const key = dataKey('test', 'count', 1, z.number().int());
    expect(() => createTurnData().set(key, 1.5)).toThrowError(expect.objectContaining({ code: 'value-invalid' }));
  });

  it('encodes values with the key encoder so they round-trip', () => {
    const data = createTurnData();
    data.set(toolConfigKey, { ...(createTurnData().get(toolConfigKey) ?? defaults()), execution_timeout_ms: 1500 });
    expect((data.getRaw(toolConfigKey.id) as Record<string, unknown>).execution_timeout).toBe('1500ms');
    expect(data.get(toolConfigKey)?.execution_timeout_ms).toBe(1500);
  });

  it('clones shallowly: a new map with shared values', () => {
    const key = turnMetaKey('test', 'list', 1, z.array(z.number()));
    const metadata = createTurnMetadata();
    const list = [1, 2];
    metadata.set(key, list);
    const copy = metadata.clone();
    copy.delete(key);
    expect(metadata.has(key)).toBe(true);
    const second = metadata.clone();
    expect(second.getRaw(key.id)).toBe(list);
  });
});

function defaults() {
  return createTurnData([[toolConfigKey.id, {}]]).get(toolConfigKey) ?? expect.fail('defaults');
}
