import { type Engine, ScriptedEngine } from '@cricket/core';
import { type EngineSettings, EngineSettingsError } from '@cricket/providers';
import type { EngineFactory, Profile } from './profile.js';
import { ProfileError } from './profile-error.js';
import type { CheckedProfileRegistry } from './profile-registry.js';

/**
 * Creates a provider engine from its settings; the composition root passes `@cricket/providers`'
 * `createEngine` (with the environment bound), tests pass a fake. Throws `EngineSettingsError` for a
 * missing key or an unsupported provider.
 */
/** Milliseconds between chunks of the scripted demo engine (about 500 characters per second). */
export const defaultDemoPaceMs = 15;

export type ProviderEngineFactory = (settings: EngineSettings) => Engine;

/**
 * The engine of a profile: the offline `ScriptedEngine` (with the profile's script and model) for
 * provider `scripted`, otherwise `providerFactory` called with a copy of the profile's settings.
 * An `EngineSettingsError` from the factory becomes a `ProfileError` `profile-unavailable` naming the
 * profile (cause kept); any other error propagates unchanged.
 */
export function createProfileEngine(profile: Profile, providerFactory: ProviderEngineFactory): Engine {
  if (profile.engine.provider === 'scripted') {
    // Without a script the demo rules answer; pace them like a real model so streaming is visible.
    return new ScriptedEngine({
      model: profile.engine.model,
      ...(profile.script ? { script: profile.script } : { paceMs: defaultDemoPaceMs }),
    });
  }
  const settings: EngineSettings = { ...profile.engine };
  if (profile.engine.stop) settings.stop = [...profile.engine.stop];
  if (profile.engine.headers) settings.headers = { ...profile.engine.headers };
  try {
    return providerFactory(settings);
  } catch (error) {
    if (error instanceof EngineSettingsError) {
      throw new ProfileError('profile-unavailable', `profile "${profile.slug}": ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * The server's {@link EngineFactory}: refuses profiles the registry marks unavailable with a
 * `ProfileError` `profile-unavailable` (`profile "openai" is unavailable: <reason>`) — this is what
 * keeps a profile whose `api_key_env` is unset from silently using another key — and otherwise
 * calls {@link createProfileEngine}. Works for profiles with overrides applied (looked up by slug).
 */
export function createProfileEngineFactory(
  registry: CheckedProfileRegistry,
  providerFactory: ProviderEngineFactory,
): EngineFactory {
  return (profile) => {
    const availability = registry.availability(profile.slug);
    if (availability !== undefined && !availability.available) {
      throw new ProfileError('profile-unavailable', `profile "${profile.slug}" is unavailable: ${availability.reason}`);
    }
    return createProfileEngine(profile, providerFactory);
  };
}
