import { ConfigurationError } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import type { Profile } from './profile.js';
import { ProfileError } from './profile-error.js';
import { InMemoryProfileRegistry, requireProfile } from './profile-registry.js';

function profile(slug: string): Profile {
  return {
    slug,
    engine: { provider: 'scripted', model: 'scripted-demo' },
    systemPrompt: '',
    middlewares: [],
    tools: null,
    allowOverrides: false,
  };
}

const slugs = (registry: InMemoryProfileRegistry) => registry.list().map((entry) => entry.slug);

describe('InMemoryProfileRegistry', () => {
  it('lists the default first, then by slug, whatever the insertion order', () => {
    const registry = new InMemoryProfileRegistry([
      profile('zeta'),
      profile('default'),
      profile('alpha'),
      profile('b-1'),
    ]);
    expect(registry.defaultSlug).toBe('default');
    expect(slugs(registry)).toEqual(['default', 'alpha', 'b-1', 'zeta']);
    expect(slugs(registry)).toEqual(slugs(registry));
  });

  it('uses the explicit default, else `default`, else the first profile given', () => {
    expect(new InMemoryProfileRegistry([profile('b'), profile('default')], { defaultSlug: 'b' }).defaultSlug).toBe('b');
    expect(slugs(new InMemoryProfileRegistry([profile('b'), profile('default')], { defaultSlug: 'b' }))).toEqual([
      'b',
      'default',
    ]);
    const firstGiven = new InMemoryProfileRegistry([profile('m'), profile('a')]);
    expect(firstGiven.defaultSlug).toBe('m');
    expect(slugs(firstGiven)).toEqual(['m', 'a']);
  });

  it('gets profiles by slug and returns a fresh list each time', () => {
    const registry = new InMemoryProfileRegistry([profile('a')]);
    expect(registry.get('a')?.slug).toBe('a');
    expect(registry.get('nope')).toBeUndefined();
    registry.list().pop();
    expect(slugs(registry)).toEqual(['a']);
  });

  it('reports availability per slug', () => {
    const registry = new InMemoryProfileRegistry([profile('a'), profile('b')], { unavailable: { b: 'no key' } });
    expect(registry.availability('a')).toEqual({ available: true });
    expect(registry.availability('b')).toEqual({ available: false, reason: 'no key' });
    expect(registry.availability('c')).toBeUndefined();
  });

  it('rejects an empty list, duplicate slugs, an unknown default and reasons for unknown slugs', () => {
    expect(() => new InMemoryProfileRegistry([])).toThrow(ConfigurationError);
    expect(() => new InMemoryProfileRegistry([profile('a'), profile('a')])).toThrow('duplicate profile slug "a"');
    expect(() => new InMemoryProfileRegistry([profile('a')], { defaultSlug: 'x' })).toThrow(
      'default profile "x" is not registered',
    );
    expect(() => new InMemoryProfileRegistry([profile('a')], { unavailable: { x: 'why' } })).toThrow(
      'unknown profile "x"',
    );
  });
});

describe('requireProfile', () => {
  it('returns the profile or throws profile-not-found', () => {
    const registry = new InMemoryProfileRegistry([profile('a')]);
    expect(requireProfile(registry, 'a').slug).toBe('a');
    expect(() => requireProfile(registry, 'ghost')).toThrow(ProfileError);
    try {
      requireProfile(registry, 'ghost');
    } catch (error) {
      expect(error).toMatchObject({ code: 'profile-not-found', blame: 'user', message: 'profile not found: ghost' });
    }
  });
});
