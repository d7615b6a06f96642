import { describe, expect, it } from 'vitest';
import { applyOverrides } from './apply-overrides.js';
import type { Profile } from './profile.js';
import { profileSignature } from './profile-signature.js';
import { parseProfilesYaml } from './profiles-file.js';

const plantedKey = 'sk-planted-7f3a9c1e-do-not-leak';

const profile: Profile = {
  slug: 'agent',
  engine: {
    provider: 'openai-chat',
    model: 'gpt-4o-mini',
    apiKey: plantedKey,
    headers: { Authorization: `Bearer ${plantedKey}`, 'OpenAI-Organization': 'org-1' },
    temperature: 0.2,
  },
  systemPrompt: 'Be brief.',
  middlewares: [{ name: 'agentmode', config: { b: 2, a: { d: 4, c: 3 } } }, { name: 'sqltool' }],
  tools: ['calculator'],
  allowOverrides: true,
};

describe('profileSignature', () => {
  it('is deterministic JSON of slug, prompt, middlewares, tools and engine settings, keys sorted', () => {
    const signature = profileSignature(profile);
    expect(JSON.parse(signature)).toEqual({
      slug: 'agent',
      system_prompt: 'Be brief.',
      middlewares: [
        { name: 'agentmode', config: { a: { c: 3, d: 4 }, b: 2 } },
        { name: 'sqltool', config: {} },
      ],
      tools: ['calculator'],
      engine: { model: 'gpt-4o-mini', provider: 'openai-chat', temperature: 0.2 },
    });
    expect(signature).toBe(profileSignature(structuredClone(profile)));
    const reordered: Profile = {
      allowOverrides: true,
      tools: ['calculator'],
      middlewares: [
        { config: { a: { c: 3, d: 4 }, b: 2 }, name: 'agentmode' },
        { name: 'sqltool', config: {} },
      ],
      systemPrompt: 'Be brief.',
      engine: { temperature: 0.2, model: 'gpt-4o-mini', provider: 'openai-chat' },
      slug: 'agent',
    };
    expect(profileSignature(reordered)).toBe(signature);
    expect(signature.indexOf('"engine"')).toBeLessThan(signature.indexOf('"middlewares"'));
  });

  it('never contains the API key or headers', () => {
    const signature = profileSignature(profile);
    expect(signature).not.toContain(plantedKey);
    expect(signature).not.toContain('planted');
    expect(signature).not.toContain('Authorization');
    expect(signature).not.toContain('apiKey');
  });

  it('never contains a key read through api_key_env by the profiles file', () => {
    const registry = parseProfilesYaml(
      'profiles: [{ slug: a, provider: anthropic, api_key_env: TEAM_KEY }]',
      'p.yaml',
      { TEAM_KEY: plantedKey },
    );
    const loaded = registry.get('a');
    expect(loaded?.engine.apiKey).toBe(plantedKey);
    expect(loaded && profileSignature(loaded)).not.toContain(plantedKey);
  });

  it('changes with everything an engine is built from, not with the API key', () => {
    const signature = profileSignature(profile);
    const variants: Profile[] = [
      { ...profile, slug: 'other' },
      { ...profile, systemPrompt: 'Be verbose.' },
      { ...profile, middlewares: [...profile.middlewares].reverse() },
      { ...profile, middlewares: [{ name: 'agentmode', config: { b: 3 } }] },
      { ...profile, tools: null },
      { ...profile, tools: [] },
      { ...profile, engine: { ...profile.engine, model: 'gpt-4o' } },
      { ...profile, engine: { ...profile.engine, baseUrl: 'http://localhost:8080/v1' } },
      applyOverrides(profile, { tools: ['current_time'] }),
    ];
    const signatures = new Set(variants.map(profileSignature));
    expect(signatures.size).toBe(variants.length);
    expect(signatures.has(signature)).toBe(false);
    expect(profileSignature({ ...profile, engine: { ...profile.engine, apiKey: 'sk-rotated' } })).toBe(signature);
    expect(profileSignature({ ...profile, allowOverrides: false, description: 'changed' })).toBe(signature);
  });
});
