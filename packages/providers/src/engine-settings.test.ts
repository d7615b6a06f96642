import { describe, expect, it } from 'vitest';
import {
  parseEngineSettings,
  providerNeedsApiKey,
  requireApiKey,
  resolveApiKey,
  resolveBaseUrl,
} from './engine-settings.js';
import { EngineSettingsError } from './shared/engine-settings-error.js';

describe('parseEngineSettings', () => {
  it('accepts a full profile and drops unknown fields', () => {
    expect(
      parseEngineSettings({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        temperature: 0.5,
        stop: ['\n\nHuman:'],
        reasoningEffort: 'medium',
        idleTimeoutMs: 30_000,
        maxRetries: 1,
        headers: { 'x-team': 'a' },
        color: 'blue',
      }),
    ).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      temperature: 0.5,
      stop: ['\n\nHuman:'],
      reasoningEffort: 'medium',
      idleTimeoutMs: 30_000,
      maxRetries: 1,
      headers: { 'x-team': 'a' },
    });
  });

  it('lists every problem with its path', () => {
    try {
      parseEngineSettings({ provider: 'cohere', model: '', topP: 3, baseUrl: 'ftp://x' });
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(EngineSettingsError);
      expect((error as EngineSettingsError).code).toBe('invalid-settings');
      expect((error as EngineSettingsError).blame).toBe('user');
      for (const field of ['provider', 'model', 'topP', 'baseUrl']) expect((error as Error).message).toContain(field);
    }
  });
});

describe('API keys', () => {
  const env = { OPENAI_API_KEY: 'sk-env', ANTHROPIC_API_KEY: 'ant', GEMINI_API_KEY: ' gem ' };

  it('prefers the settings, then the provider variable', () => {
    expect(resolveApiKey({ provider: 'openai-chat', apiKey: 'sk-own' }, env)).toBe('sk-own');
    expect(resolveApiKey({ provider: 'openai-chat' }, env)).toBe('sk-env');
    expect(resolveApiKey({ provider: 'openai-responses' }, env)).toBe('sk-env');
    expect(resolveApiKey({ provider: 'anthropic' }, env)).toBe('ant');
    expect(resolveApiKey({ provider: 'gemini' }, env)).toBe('gem');
    expect(resolveApiKey({ provider: 'ollama' }, env)).toBeUndefined();
    expect(resolveApiKey({ provider: 'openai-chat' }, {})).toBeUndefined();
  });

  it('requireApiKey names the variable to set', () => {
    expect(() => requireApiKey({ provider: 'gemini' }, {})).toThrow(
      'gemini: no API key configured: set GEMINI_API_KEY',
    );
    expect(providerNeedsApiKey('ollama')).toBe(false);
    expect(providerNeedsApiKey('scripted')).toBe(false);
    expect(providerNeedsApiKey('anthropic')).toBe(true);
  });
});

describe('resolveBaseUrl', () => {
  it('uses the settings, then the variable, then the default, without trailing slash', () => {
    expect(resolveBaseUrl({ provider: 'openai-chat' }, {})).toBe('https://api.openai.com/v1');
    expect(resolveBaseUrl({ provider: 'openai-chat' }, { OPENAI_BASE_URL: 'http://proxy/v1/' })).toBe(
      'http://proxy/v1',
    );
    expect(
      resolveBaseUrl({ provider: 'openai-chat', baseUrl: 'http://own/v1' }, { OPENAI_BASE_URL: 'http://proxy/v1' }),
    ).toBe('http://own/v1');
    expect(resolveBaseUrl({ provider: 'anthropic' }, {})).toBe('https://api.anthropic.com');
    expect(resolveBaseUrl({ provider: 'gemini' }, {})).toBe('https://generativelanguage.googleapis.com');
    expect(resolveBaseUrl({ provider: 'gemini' }, { GEMINI_BASE_URL: 'http://g' })).toBe('http://g');
    expect(resolveBaseUrl({ provider: 'scripted' }, {})).toBeUndefined();
  });

  it('reads OLLAMA_HOST the way Ollama does', () => {
    expect(resolveBaseUrl({ provider: 'ollama' }, {})).toBe('http://127.0.0.1:11434');
    expect(resolveBaseUrl({ provider: 'ollama' }, { OLLAMA_HOST: '0.0.0.0' })).toBe('http://0.0.0.0:11434');
    expect(resolveBaseUrl({ provider: 'ollama' }, { OLLAMA_HOST: 'gpu-box:8080' })).toBe('http://gpu-box:8080');
    expect(resolveBaseUrl({ provider: 'ollama' }, { OLLAMA_HOST: 'https://ollama.example.com' })).toBe(
      'https://ollama.example.com',
    );
    expect(() => resolveBaseUrl({ provider: 'ollama' }, { OLLAMA_HOST: 'bad host:x' })).toThrow(EngineSettingsError);
  });
});
