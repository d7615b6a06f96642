import { z } from 'zod';
import { EngineSettingsError } from './shared/engine-settings-error.js';

/** Provider ids, as used in profiles and the turn's `providerKey`. */
export const engineProviders = [
  'openai-chat',
  'openai-responses',
  'anthropic',
  'gemini',
  'ollama',
  'scripted',
] as const;
/** One of {@link engineProviders}. */
export type EngineProvider = (typeof engineProviders)[number];

/**
 * Settings of one provider engine. `apiKey` and `baseUrl` fall back to the environment (see
 * {@link resolveApiKey} / {@link resolveBaseUrl}); sampling fields are sent only when set (reasoning
 * models drop temperature / top-p); `idleTimeoutMs` bounds silence inside a stream (default 60 s);
 * `maxRetries` bounds retries before the first response byte (default 2); `headers` are added to
 * every request (proxies, organisation headers).
 */
export const engineSettingsSchema = z.object({
  provider: z.enum(engineProviders),
  model: z.string().min(1),
  apiKey: z.string().min(1).optional(),
  /** Root URL; for OpenAI it includes `/v1` (`https://api.openai.com/v1`), for the others it is the host root. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  maxTokens: z.number().int().positive().optional(),
  stop: z.array(z.string()).optional(),
  reasoningEffort: z.enum(['low', 'medium', 'high']).optional(),
  idleTimeoutMs: z.number().int().positive().optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** See {@link engineSettingsSchema}. */
export type EngineSettings = z.infer<typeof engineSettingsSchema>;

/** The environment variables the resolvers read (defaults to `process.env`). */
export type EngineEnv = Readonly<Record<string, string | undefined>>;

interface ProviderEnvironment {
  /** Variable holding the API key; undefined when the provider needs none. */
  apiKeyVar?: string;
  baseUrlVar?: string;
  defaultBaseUrl?: string;
}

const environments: Record<EngineProvider, ProviderEnvironment> = {
  'openai-chat': {
    apiKeyVar: 'OPENAI_API_KEY',
    baseUrlVar: 'OPENAI_BASE_URL',
    defaultBaseUrl: 'https://api.openai.com/v1',
  },
  'openai-responses': {
    apiKeyVar: 'OPENAI_API_KEY',
    baseUrlVar: 'OPENAI_BASE_URL',
    defaultBaseUrl: 'https://api.openai.com/v1',
  },
  anthropic: {
    apiKeyVar: 'ANTHROPIC_API_KEY',
    baseUrlVar: 'ANTHROPIC_BASE_URL',
    defaultBaseUrl: 'https://api.anthropic.com',
  },
  gemini: {
    apiKeyVar: 'GEMINI_API_KEY',
    baseUrlVar: 'GEMINI_BASE_URL',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  },
  ollama: { baseUrlVar: 'OLLAMA_HOST', defaultBaseUrl: 'http://127.0.0.1:11434' },
  scripted: {},
};

/**
 * Validates unknown input (a profile, CLI flags) as {@link EngineSettings}. Throws
 * {@link EngineSettingsError} `invalid-settings` listing every problem with its field path.
 */
export function parseEngineSettings(input: unknown): EngineSettings {
  const parsed = engineSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new EngineSettingsError('invalid-settings', `invalid engine settings: ${detail}`, { cause: parsed.error });
}

/**
 * The settings an engine of `provider` runs with: refuses settings naming another provider
 * (`unsupported-provider`, naming `engineName`), then validates them like {@link parseEngineSettings}.
 */
export function parseProviderSettings(
  provider: EngineProvider,
  engineName: string,
  settings: Omit<EngineSettings, 'provider'> & { provider?: string },
): EngineSettings {
  if (settings.provider !== undefined && settings.provider !== provider) {
    throw new EngineSettingsError('unsupported-provider', `${engineName} cannot serve provider ${settings.provider}`);
  }
  return parseEngineSettings({ ...settings, provider });
}

/** True when the provider cannot be called without an API key. */
export function providerNeedsApiKey(provider: EngineProvider): boolean {
  return environments[provider].apiKeyVar !== undefined;
}

/**
 * The API key: `settings.apiKey`, else the provider's variable (`OPENAI_API_KEY` for both OpenAI
 * engines, `ANTHROPIC_API_KEY`, `GEMINI_API_KEY`); `undefined` for providers without keys (Ollama,
 * scripted) or when none is set. Blank values count as unset.
 */
export function resolveApiKey(
  settings: Pick<EngineSettings, 'provider' | 'apiKey'>,
  env: EngineEnv = process.env,
): string | undefined {
  if (settings.apiKey?.trim()) return settings.apiKey.trim();
  const variable = environments[settings.provider].apiKeyVar;
  const value = variable ? env[variable]?.trim() : undefined;
  return value || undefined;
}

/**
 * Like {@link resolveApiKey}, but throws {@link EngineSettingsError} `missing-api-key` naming the
 * variable to set when the provider needs a key and none is configured. Engines call it when
 * they are created, so a missing key fails fast instead of as an HTTP 401 mid-conversation.
 */
export function requireApiKey(
  settings: Pick<EngineSettings, 'provider' | 'apiKey'>,
  env: EngineEnv = process.env,
): string {
  const key = resolveApiKey(settings, env);
  if (key) return key;
  const variable = environments[settings.provider].apiKeyVar;
  throw new EngineSettingsError(
    'missing-api-key',
    variable
      ? `${settings.provider}: no API key configured: set ${variable} or the profile's apiKey`
      : `${settings.provider}: this provider takes no API key`,
  );
}

/**
 * The base URL without a trailing slash: `settings.baseUrl`, else the provider's variable, else its
 * default. OpenAI URLs end in `/v1` (`OPENAI_BASE_URL=https://api.openai.com/v1`), the others are
 * host roots. `OLLAMA_HOST` may omit the scheme and port, as Ollama's own CLI allows
 * (`0.0.0.0`, `myhost:8080`): a missing scheme becomes `http://` and a missing port 11434. `undefined` for `scripted`.
 */
export function resolveBaseUrl(
  settings: Pick<EngineSettings, 'provider' | 'baseUrl'>,
  env: EngineEnv = process.env,
): string | undefined {
  const environment = environments[settings.provider];
  const fromEnv = environment.baseUrlVar ? env[environment.baseUrlVar]?.trim() : undefined;
  let url = settings.baseUrl?.trim() || fromEnv || environment.defaultBaseUrl;
  if (!url) return undefined;
  if (settings.provider === 'ollama') url = normalizeOllamaHost(url);
  return url.replace(/\/+$/, '');
}

// Ollama's own rule: a host without a scheme means `http://` and, without a port, port 11434; an
// explicit scheme keeps that scheme's default port.
function normalizeOllamaHost(host: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return host;
  try {
    const url = new URL(`http://${host}`);
    if (!/^(\[[^\]]*\]|[^/:]*):\d+/.test(host)) url.port = '11434';
    return url.toString();
  } catch {
    throw new EngineSettingsError('invalid-settings', `ollama: OLLAMA_HOST is not a valid host: ${host}`);
  }
}
