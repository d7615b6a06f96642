import { resolve } from 'node:path';
import { createTurn, defineTool, type Engine, ScriptedEngine, toolUseBlock, userBlock } from '@cricket/core';
import { createTestContext } from '@cricket/core/testing';
import { type EngineSettings, EngineSettingsError } from '@cricket/providers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createProfileEngine,
  createProfileEngineFactory,
  type ProviderEngineFactory,
} from './create-profile-engine.js';
import type { Profile } from './profile.js';
import { ProfileError } from './profile-error.js';
import { InMemoryProfileRegistry } from './profile-registry.js';
import { loadProfilesFile } from './profiles-file.js';

function profile(slug: string, engine: EngineSettings, extra: Partial<Profile> = {}): Profile {
  return { slug, engine, systemPrompt: '', middlewares: [], tools: null, allowOverrides: false, ...extra };
}

/** A fake provider factory recording the settings it was given. */
function fakeFactory(): ProviderEngineFactory & { calls: EngineSettings[] } {
  const calls: EngineSettings[] = [];
  const factory = (settings: EngineSettings): Engine => {
    calls.push(settings);
    return new ScriptedEngine({ model: `fake-${settings.provider}` });
  };
  return Object.assign(factory, { calls });
}

describe('createProfileEngine', () => {
  it('creates the offline scripted engine without calling the provider factory', () => {
    const factory = fakeFactory();
    const engine = createProfileEngine(profile('demo', { provider: 'scripted', model: 'scripted-demo' }), factory);
    expect(engine).toBeInstanceOf(ScriptedEngine);
    expect(engine.info).toEqual({ provider: 'scripted', model: 'scripted-demo', offline: true });
    expect(factory.calls).toEqual([]);
  });

  it('passes provider profiles to the factory with a copy of their settings', () => {
    const factory = fakeFactory();
    const settings: EngineSettings = {
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      stop: ['END'],
      headers: { 'x-team': 'a' },
    };
    const engine = createProfileEngine(profile('claude', settings), factory);
    expect(engine.info.model).toBe('fake-anthropic');
    expect(factory.calls).toEqual([settings]);
    expect(factory.calls[0]).not.toBe(settings);
    expect(factory.calls[0]?.stop).not.toBe(settings.stop);
    expect(factory.calls[0]?.headers).not.toBe(settings.headers);
  });

  it('turns an EngineSettingsError into profile-unavailable and lets other errors through', () => {
    const missingKey: ProviderEngineFactory = () => {
      throw new EngineSettingsError('missing-api-key', 'gemini: no API key configured: set GEMINI_API_KEY');
    };
    const target = profile('gem', { provider: 'gemini', model: 'gemini-2.5-flash' });
    expect(() => createProfileEngine(target, missingKey)).toThrow(ProfileError);
    expect(() => createProfileEngine(target, missingKey)).toThrow(
      'profile "gem": gemini: no API key configured: set GEMINI_API_KEY',
    );
    const boom = new Error('boom');
    expect(() =>
      createProfileEngine(target, () => {
        throw boom;
      }),
    ).toThrow(boom);
  });

  it('plays the example weather script: calls get_weather, then answers with its result', async () => {
    const registry = loadProfilesFile(resolve(import.meta.dirname, '../../../../profiles.example.yaml'), {});
    const weather = registry.get('weather');
    expect(weather).toBeDefined();
    if (weather === undefined) return;
    const engine = createProfileEngine(weather, fakeFactory());
    expect(engine.info.model).toBe('scripted-weather');
    const getWeather = defineTool({
      name: 'get_weather',
      description: 'Current weather of a city',
      input: z.object({ city: z.string(), unit: z.string().optional() }),
      execute: ({ city }) => ({ city, temperature_c: 18, sky: 'sunny' }),
    });
    const context = createTestContext({ tools: [getWeather] });
    const turn = await engine.infer(createTurn({ blocks: [userBlock("What's the weather like?")] }), context);
    const call = turn.blocks.at(-1);
    expect(call?.kind === 'tool_call' && call.payload).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
    turn.blocks.push(toolUseBlock(call?.id ?? '', '{"city":"Paris","temperature_c":18,"sky":"sunny"}'));
    await engine.infer(turn, context);
    expect(turn.blocks.at(-1)?.payload.text).toBe(
      'Here is the current weather in Paris: {"city":"Paris","temperature_c":18,"sky":"sunny"}',
    );
  });
});

describe('createProfileEngineFactory', () => {
  const openai = profile('openai', { provider: 'openai-chat', model: 'gpt-4o-mini' });
  const demo = profile('default', { provider: 'scripted', model: 'scripted-demo' });
  const registry = new InMemoryProfileRegistry([demo, openai], {
    unavailable: { openai: 'no API key: environment variable TEAM_KEY is not set' },
  });

  it('refuses unavailable profiles with profile-unavailable, before calling the provider', () => {
    const factory = fakeFactory();
    const createEngine = createProfileEngineFactory(registry, factory);
    expect(() => createEngine(openai)).toThrow(
      'profile "openai" is unavailable: no API key: environment variable TEAM_KEY is not set',
    );
    try {
      createEngine(openai);
    } catch (error) {
      expect(error).toMatchObject({ name: 'ProfileError', code: 'profile-unavailable', blame: 'system' });
    }
    expect(factory.calls).toEqual([]);
  });

  it('creates engines of available profiles, including overridden copies', () => {
    const createEngine = createProfileEngineFactory(registry, fakeFactory());
    expect(createEngine({ ...demo, tools: [] }).info.provider).toBe('scripted');
    const unlisted = profile('adhoc', { provider: 'ollama', model: 'llama3.2' });
    expect(createEngine(unlisted).info.model).toBe('fake-ollama');
  });
});
