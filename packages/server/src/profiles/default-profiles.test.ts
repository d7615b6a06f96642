import { ConfigurationError } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { createDefaultProfiles } from './default-profiles.js';
import { describeProfileEngine } from './describe-profile-engine.js';
import { defaultSystemPrompt } from './profile-defaults.js';

function engineOf(env: Record<string, string>, options?: { provider?: string; model?: string }) {
  const registry = createDefaultProfiles(env, options);
  return registry.get(registry.defaultSlug)?.engine;
}

describe('createDefaultProfiles', () => {
  it('registers one available `default` profile with every tool and the Cricket prompt', () => {
    const registry = createDefaultProfiles({});
    expect(registry.defaultSlug).toBe('default');
    expect(registry.list()).toEqual([
      {
        slug: 'default',
        description: 'Default profile: scripted-demo (offline scripted engine — no model connected)',
        engine: { provider: 'scripted', model: 'scripted-demo' },
        systemPrompt: defaultSystemPrompt,
        middlewares: [],
        tools: null,
        allowOverrides: false,
      },
    ]);
    expect(defaultSystemPrompt).toBe('You are Cricket, a concise and helpful assistant. Use tools when they help.');
    expect(registry.availability('default')).toEqual({ available: true });
  });

  it.each([
    [{}, 'scripted', 'scripted-demo'],
    [{ OLLAMA_HOST: 'localhost' }, 'ollama', 'llama3.2'],
    [{ GEMINI_API_KEY: 'g', OLLAMA_HOST: 'localhost' }, 'gemini', 'gemini-2.5-flash'],
    [{ ANTHROPIC_API_KEY: 'a', GEMINI_API_KEY: 'g', OLLAMA_HOST: 'localhost' }, 'anthropic', 'claude-sonnet-4-5'],
    [
      { OPENAI_API_KEY: 'o', ANTHROPIC_API_KEY: 'a', GEMINI_API_KEY: 'g', OLLAMA_HOST: 'x' },
      'openai-chat',
      'gpt-4o-mini',
    ],
    [{ OPENAI_API_KEY: '  ', ANTHROPIC_API_KEY: 'a' }, 'anthropic', 'claude-sonnet-4-5'],
    [{ OPENAI_API_KEY: '', GEMINI_API_KEY: '' }, 'scripted', 'scripted-demo'],
  ])('detects the provider from %o', (env, provider, model) => {
    expect(engineOf(env)).toEqual({ provider, model });
    expect(createDefaultProfiles(env).availability('default')).toEqual({ available: true });
  });

  it('never copies API keys into the profile (providers read them when the engine is created)', () => {
    expect(engineOf({ OPENAI_API_KEY: 'sk-secret' })?.apiKey).toBeUndefined();
  });

  it('lets CRICKET_PROVIDER and CRICKET_MODEL choose explicitly', () => {
    const env = { OPENAI_API_KEY: 'o', GEMINI_API_KEY: 'g' };
    expect(engineOf({ ...env, CRICKET_PROVIDER: 'gemini' })).toEqual({ provider: 'gemini', model: 'gemini-2.5-flash' });
    expect(engineOf({ ...env, CRICKET_MODEL: 'gpt-4.1' })).toEqual({ provider: 'openai-chat', model: 'gpt-4.1' });
    expect(engineOf({ ...env, CRICKET_PROVIDER: ' openai-responses ', CRICKET_MODEL: 'o4-mini' })).toEqual({
      provider: 'openai-responses',
      model: 'o4-mini',
    });
    expect(engineOf({ ...env, CRICKET_PROVIDER: 'scripted' })).toEqual({
      provider: 'scripted',
      model: 'scripted-demo',
    });
    expect(engineOf({ ...env, CRICKET_PROVIDER: '', CRICKET_MODEL: ' ' })).toEqual({
      provider: 'openai-chat',
      model: 'gpt-4o-mini',
    });
  });

  it('lets the options win over the environment', () => {
    const env = {
      OPENAI_API_KEY: 'o',
      ANTHROPIC_API_KEY: 'a',
      CRICKET_PROVIDER: 'openai-chat',
      CRICKET_MODEL: 'gpt-4.1',
    };
    expect(engineOf(env, { model: 'gpt-5' })).toEqual({ provider: 'openai-chat', model: 'gpt-5' });
    expect(engineOf(env, { provider: 'anthropic', model: 'claude-opus-4-1' })).toEqual({
      provider: 'anthropic',
      model: 'claude-opus-4-1',
    });
    // CRICKET_MODEL was meant for the environment's provider: a different provider option drops it.
    expect(engineOf(env, { provider: 'anthropic' })).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    // ... but it still applies when the option names the same provider.
    expect(engineOf(env, { provider: 'openai-chat' })).toEqual({ provider: 'openai-chat', model: 'gpt-4.1' });
    expect(engineOf({ OPENAI_API_KEY: 'o', CRICKET_MODEL: 'gpt-4.1' }, { provider: '', model: ' ' })).toEqual({
      provider: 'openai-chat',
      model: 'gpt-4.1',
    });
  });

  it('marks an explicitly chosen provider without its key unavailable instead of failing', () => {
    const registry = createDefaultProfiles({ CRICKET_PROVIDER: 'anthropic' });
    expect(registry.get('default')?.engine).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    expect(registry.availability('default')).toEqual({
      available: false,
      reason: expect.stringContaining('ANTHROPIC_API_KEY'),
    });
    expect(createDefaultProfiles({}, { provider: 'gemini' }).availability('default')).toMatchObject({
      available: false,
    });
  });

  it('rejects an unknown provider, naming where it came from', () => {
    expect(() => createDefaultProfiles({ CRICKET_PROVIDER: 'openai' })).toThrow(ConfigurationError);
    expect(() => createDefaultProfiles({ CRICKET_PROVIDER: 'openai' })).toThrow(
      'CRICKET_PROVIDER: unknown provider "openai" (expected one of openai-chat, openai-responses, anthropic, gemini, ollama, scripted)',
    );
    expect(() => createDefaultProfiles({}, { provider: 'claude' })).toThrow(
      /^provider option: unknown provider "claude"/,
    );
  });
});

describe('describeProfileEngine', () => {
  it('labels provider engines and the offline scripted engine', () => {
    expect(describeProfileEngine({ engine: { provider: 'openai-chat', model: 'gpt-4o-mini' } })).toBe(
      'openai-chat · gpt-4o-mini',
    );
    expect(describeProfileEngine({ engine: { provider: 'ollama', model: 'llama3.2' } })).toBe('ollama · llama3.2');
    expect(describeProfileEngine({ engine: { provider: 'scripted', model: 'scripted-demo' } })).toBe(
      'scripted-demo (offline scripted engine — no model connected)',
    );
  });
});
