import { ConfigurationError } from '@cricket/core';
import { type EngineEnv, type EngineProvider, engineProviders } from '@cricket/providers';
import { describeProfileEngine } from './describe-profile-engine.js';
import type { Profile } from './profile.js';
import { checkEngineAvailability } from './profile-availability.js';
import { defaultModels, defaultProfileSlug, defaultSystemPrompt } from './profile-defaults.js';
import { type CheckedProfileRegistry, InMemoryProfileRegistry } from './profile-registry.js';

/** Options of {@link createDefaultProfiles}, typically from CLI flags; they win over the environment. */
export interface DefaultProfilesOptions {
  /** Provider id (`openai-chat`, `anthropic`, ..., `scripted`); validated, so raw flag text is fine. */
  provider?: string;
  model?: string;
}

// Providers chosen automatically, in order, by the first of these variables that is set.
const detectionOrder: readonly (readonly [variable: string, provider: EngineProvider])[] = [
  ['OPENAI_API_KEY', 'openai-chat'],
  ['ANTHROPIC_API_KEY', 'anthropic'],
  ['GEMINI_API_KEY', 'gemini'],
  ['OLLAMA_HOST', 'ollama'],
];

/**
 * The registry used without a profiles file: one `default` profile with every tool, no middlewares,
 * no overrides and the Cricket system prompt.
 *
 * Provider: `options.provider`, else `CRICKET_PROVIDER`, else the first set of `OPENAI_API_KEY`
 * (openai-chat), `ANTHROPIC_API_KEY` (anthropic), `GEMINI_API_KEY` (gemini), `OLLAMA_HOST` (ollama),
 * else the offline `scripted` engine. Model: `options.model`, else `CRICKET_MODEL` — unless
 * `options.provider` picked a different provider than the environment would have, since that model
 * was meant for the other provider — else the provider's default (see `defaultModels`). Blank values
 * count as unset. An unknown provider throws `ConfigurationError`; an explicitly chosen provider whose
 * API key is missing yields an unavailable profile (see `CheckedProfileRegistry.availability`).
 */
export function createDefaultProfiles(
  env: EngineEnv = process.env,
  options: DefaultProfilesOptions = {},
): CheckedProfileRegistry {
  const environmentProvider = providerFromEnvironment(env);
  const provider = options.provider?.trim()
    ? parseProvider(options.provider.trim(), 'provider option')
    : environmentProvider;
  const environmentModel = provider === environmentProvider ? nonBlank(env.CRICKET_MODEL) : undefined;
  const model = nonBlank(options.model) ?? environmentModel ?? defaultModels[provider];
  const profile: Profile = {
    slug: defaultProfileSlug,
    engine: { provider, model },
    systemPrompt: defaultSystemPrompt,
    middlewares: [],
    tools: null,
    allowOverrides: false,
  };
  profile.description = `Default profile: ${describeProfileEngine(profile)}`;
  const availability = checkEngineAvailability(profile.engine, env);
  return new InMemoryProfileRegistry([profile], {
    unavailable: availability.available ? {} : { [profile.slug]: availability.reason },
  });
}

function providerFromEnvironment(env: EngineEnv): EngineProvider {
  const explicit = nonBlank(env.CRICKET_PROVIDER);
  if (explicit !== undefined) return parseProvider(explicit, 'CRICKET_PROVIDER');
  for (const [variable, provider] of detectionOrder) {
    if (nonBlank(env[variable]) !== undefined) return provider;
  }
  return 'scripted';
}

function parseProvider(value: string, source: string): EngineProvider {
  const provider = engineProviders.find((candidate) => candidate === value);
  if (provider === undefined) {
    throw new ConfigurationError(
      `${source}: unknown provider "${value}" (expected one of ${engineProviders.join(', ')})`,
    );
  }
  return provider;
}

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
