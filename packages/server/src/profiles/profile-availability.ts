import { errorMessage } from '@cricket/core';
import {
  type EngineEnv,
  type EngineSettings,
  providerNeedsApiKey,
  redactUrl,
  requireApiKey,
  resolveBaseUrl,
} from '@cricket/providers';
import type { ProfileAvailability } from './profile.js';

/**
 * Whether a profile's engine can be created in this environment. An unavailable profile is still
 * listed (so `/api/chat/profiles` and `cricket profiles list` can show it with its `reason`), but
 * choosing it fails with a `ProfileError` of code `profile-unavailable`.
 */
export type { ProfileAvailability } from './profile.js';

/**
 * Checks, without any network call, what would stop the engine of `engine` from being created:
 * a provider that needs an API key and has none (from `apiKeyEnv` when given — the profile file's
 * `api_key_env` — else `engine.apiKey` or the provider's own variable such as `OPENAI_API_KEY`),
 * or a base URL (from the settings or `*_BASE_URL` / `OLLAMA_HOST`) that is not an http(s) URL.
 */
export function checkEngineAvailability(
  engine: EngineSettings,
  env: EngineEnv = process.env,
  apiKeyEnv?: string,
): ProfileAvailability {
  if (providerNeedsApiKey(engine.provider)) {
    if (apiKeyEnv !== undefined) {
      if (!env[apiKeyEnv]?.trim()) return unavailable(`no API key: environment variable ${apiKeyEnv} is not set`);
    } else {
      try {
        requireApiKey(engine, env);
      } catch (error) {
        return unavailable(errorMessage(error));
      }
    }
  }
  let baseUrl: string | undefined;
  try {
    baseUrl = resolveBaseUrl(engine, env);
  } catch (error) {
    return unavailable(errorMessage(error));
  }
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
    return unavailable(`${engine.provider}: base URL ${redactUrl(baseUrl)} is not an http(s) URL`);
  }
  return { available: true };
}

function unavailable(reason: string): ProfileAvailability {
  return { available: false, reason };
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
