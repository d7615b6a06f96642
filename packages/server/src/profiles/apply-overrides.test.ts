import { describe, expect, it } from 'vitest';
import { applyOverrides, isStepModeRequested } from './apply-overrides.js';
import type { Profile } from './profile.js';
import { ProfileError } from './profile-error.js';

const base: Profile = {
  slug: 'agent',
  engine: { provider: 'scripted', model: 'scripted-demo' },
  systemPrompt: 'Profile prompt',
  middlewares: [{ name: 'agentmode', config: { mode: 'chat' } }],
  tools: ['calculator'],
  allowOverrides: true,
};
const locked: Profile = { ...base, slug: 'locked', allowOverrides: false };

function errorOf(run: () => unknown): ProfileError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProfileError) return error;
    throw error;
  }
  throw new Error('expected a ProfileError');
}

describe('applyOverrides', () => {
  it('returns the profile unchanged without engine overrides', () => {
    expect(applyOverrides(base, undefined)).toBe(base);
    expect(applyOverrides(base, null)).toBe(base);
    expect(applyOverrides(base, {})).toBe(base);
    expect(applyOverrides(locked, { step_mode: true, anything: 1 })).toBe(locked);
    expect(applyOverrides(locked, { system_prompt: null, tools: undefined })).toBe(locked);
  });

  it('replaces prompt, middlewares and tools when the profile allows it, without mutating it', () => {
    const snapshot = structuredClone(base);
    const result = applyOverrides(base, {
      system_prompt: 'Override prompt',
      middlewares: [{ name: ' sqltool ', config: { db: 'x' } }, { name: 'logger', config: null }, { name: 'plain' }],
      tools: ['current_time', ' calculator ', 'current_time'],
      step_mode: 'yes',
    });
    expect(result).toEqual({
      ...base,
      systemPrompt: 'Override prompt',
      middlewares: [{ name: 'sqltool', config: { db: 'x' } }, { name: 'logger' }, { name: 'plain' }],
      tools: ['current_time', 'calculator'],
    });
    expect(base).toEqual(snapshot);
  });

  it('replaces only what is given; empty lists clear; a blank prompt keeps the profile prompt', () => {
    expect(applyOverrides(base, { tools: [] })).toEqual({ ...base, tools: [] });
    expect(applyOverrides(base, { middlewares: [] })).toEqual({ ...base, middlewares: [] });
    expect(applyOverrides(base, { system_prompt: '   ' })).toEqual(base);
  });

  it('refuses engine overrides on a profile that does not allow them (overrides-not-allowed)', () => {
    for (const overrides of [{ system_prompt: 'x' }, { middlewares: [] }, { tools: ['calculator'] }]) {
      const error = errorOf(() => applyOverrides(locked, overrides));
      expect(error.code).toBe('overrides-not-allowed');
      expect(error.blame).toBe('user');
      expect(error.message).toBe('profile "locked" does not allow overrides');
    }
  });

  it.each([
    [{ system_prompt: 42 }, 'overrides.system_prompt: must be a string'],
    [{ middlewares: 'agentmode' }, 'overrides.middlewares: must be an array'],
    [{ middlewares: ['agentmode'] }, 'overrides.middlewares.0: must be an object with a name'],
    [{ middlewares: [{ config: {} }] }, 'overrides.middlewares.0.name: must be a string'],
    [{ middlewares: [{ name: '  ' }] }, 'overrides.middlewares.0.name: must not be blank'],
    [{ middlewares: [{ name: 'a', config: [1] }] }, 'overrides.middlewares.0.config: must be an object'],
    [{ middlewares: [{ name: 'a', settings: {} }] }, 'overrides.middlewares.0.settings: unknown key'],
    [{ tools: 'calculator' }, 'overrides.tools: must be an array'],
    [{ tools: ['calculator', ''] }, 'overrides.tools.1: must not be blank'],
    [{ tools: [3] }, 'overrides.tools.0: must be a string'],
  ])('rejects %o with overrides-invalid', (overrides, message) => {
    const error = errorOf(() => applyOverrides(base, overrides));
    expect(error.code).toBe('overrides-invalid');
    expect(error.message).toBe(message);
  });

  it('rejects overrides that are not an object', () => {
    // An untyped JSON caller may pass an array where an object is expected.
    expect(errorOf(() => applyOverrides(base, [] as unknown as Record<string, unknown>)).code).toBe(
      'overrides-invalid',
    );
  });
});

describe('isStepModeRequested', () => {
  it.each([true, '1', 'true', 'TRUE', 'yes', 'Y', 'on', ' On '])('is true for %o', (value) => {
    expect(isStepModeRequested({ step_mode: value })).toBe(true);
  });

  it.each([false, 1, '0', 'false', 'no', 'off', '', 'enabled', null, undefined, {}])('is false for %o', (value) => {
    expect(isStepModeRequested({ step_mode: value })).toBe(false);
  });

  it('is false without overrides', () => {
    expect(isStepModeRequested(undefined)).toBe(false);
    expect(isStepModeRequested(null)).toBe(false);
    expect(isStepModeRequested({})).toBe(false);
  });
});
