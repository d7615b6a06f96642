import { describe, expect, it } from 'vitest';
import { checkEngineAvailability } from './profile-availability.js';

describe('checkEngineAvailability', () => {
  it('needs no key for scripted and ollama', () => {
    expect(checkEngineAvailability({ provider: 'scripted', model: 'm' }, {})).toEqual({ available: true });
    expect(checkEngineAvailability({ provider: 'ollama', model: 'm' }, {})).toEqual({ available: true });
  });

  it('finds keys in the settings or the provider variable', () => {
    expect(checkEngineAvailability({ provider: 'openai-responses', model: 'm' }, { OPENAI_API_KEY: 'k' })).toEqual({
      available: true,
    });
    expect(checkEngineAvailability({ provider: 'gemini', model: 'm', apiKey: 'k' }, {})).toEqual({ available: true });
    const missing = checkEngineAvailability({ provider: 'anthropic', model: 'm' }, { ANTHROPIC_API_KEY: ' ' });
    expect(missing).toEqual({ available: false, reason: expect.stringContaining('set ANTHROPIC_API_KEY') });
  });

  it('reads only the named variable when apiKeyEnv is given', () => {
    const env = { OPENAI_API_KEY: 'fallback' };
    expect(checkEngineAvailability({ provider: 'openai-chat', model: 'm' }, env, 'TEAM_KEY')).toEqual({
      available: false,
      reason: 'no API key: environment variable TEAM_KEY is not set',
    });
    expect(checkEngineAvailability({ provider: 'openai-chat', model: 'm' }, { TEAM_KEY: 'k' }, 'TEAM_KEY')).toEqual({
      available: true,
    });
  });

  it('reports an unusable base URL from the environment', () => {
    const badOllama = checkEngineAvailability({ provider: 'ollama', model: 'm' }, { OLLAMA_HOST: 'http://[bad' });
    expect(badOllama.available).toBe(false);
    const badOpenAI = checkEngineAvailability(
      { provider: 'openai-chat', model: 'm' },
      { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'not a url' },
    );
    expect(badOpenAI).toEqual({ available: false, reason: expect.stringContaining('is not an http(s) URL') });
  });
});
