import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ConfigurationError,
  defaultToolConfig,
  errorMessage,
  parseScript,
  parseScriptYaml,
  type Script,
  type ToolConfig,
} from '@cricket/core';
import { type EngineEnv, type EngineSettings, providerNeedsApiKey } from '@cricket/providers';
import { parse } from 'yaml';
import type { z } from 'zod';
import type { Profile } from './profile.js';
import { checkEngineAvailability } from './profile-availability.js';
import { defaultModels, defaultSystemPrompt } from './profile-defaults.js';
import { type CheckedProfileRegistry, InMemoryProfileRegistry } from './profile-registry.js';
import { type ProfileFileEntry, profilesFileSchema, type toolConfigFileSchema } from './profiles-file-schema.js';

/** Options of {@link parseProfilesYaml}. */
export interface ProfilesYamlOptions {
  /** Directory that relative `script` paths are resolved against (default: the working directory). */
  baseDirectory?: string;
}

/**
 * Reads and validates a profiles YAML file (see `profiles.example.yaml`); relative `script` paths are
 * resolved against the file's directory. Throws `ConfigurationError` naming the file and the field
 * (`profiles.yaml: profiles.1.provider: ...`) for anything wrong in the file. A profile whose
 * provider lacks an API key in `env` is not an error: it is registered as unavailable, with the
 * reason, and fails only when its engine is created.
 */
export function loadProfilesFile(path: string, env: EngineEnv = process.env): CheckedProfileRegistry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`${path}: cannot read profiles file: ${errorMessage(error)}`, { cause: error });
  }
  return parseProfilesYaml(text, path, env, { baseDirectory: dirname(resolve(path)) });
}

/**
 * Parses profiles YAML text; `sourceName` prefixes every error message. Same rules as
 * {@link loadProfilesFile}, with script paths relative to `options.baseDirectory`.
 */
export function parseProfilesYaml(
  text: string,
  sourceName = 'profiles',
  env: EngineEnv = process.env,
  options: ProfilesYamlOptions = {},
): CheckedProfileRegistry {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new ConfigurationError(`${sourceName}: malformed YAML: ${errorMessage(error)}`, { cause: error });
  }
  if (value === null || value === undefined) {
    throw new ConfigurationError(`${sourceName}: the file is empty (expected a mapping with a "profiles" list)`);
  }
  const parsed = profilesFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigurationError(`${sourceName}: ${formatIssues(parsed.error.issues)}`, { cause: parsed.error });
  }

  const baseDirectory = options.baseDirectory ?? process.cwd();
  const problems: string[] = [];
  const profiles: Profile[] = [];
  const unavailable: Record<string, string> = {};
  const seen = new Map<string, number>();
  for (const [index, entry] of parsed.data.profiles.entries()) {
    const at = `profiles.${index}`;
    const earlier = seen.get(entry.slug);
    if (earlier !== undefined) {
      problems.push(`${at}.slug: duplicate slug "${entry.slug}" (also profiles.${earlier}.slug)`);
      continue;
    }
    seen.set(entry.slug, index);
    const profile = buildProfile(entry, at, baseDirectory, env, problems);
    if (profile === undefined) continue;
    profiles.push(profile);
    const availability = checkEngineAvailability(profile.engine, env, entry.api_key_env);
    if (!availability.available) unavailable[profile.slug] = availability.reason;
  }
  const defaultSlug = parsed.data.default;
  if (defaultSlug !== undefined && !seen.has(defaultSlug)) {
    problems.push(`default: no profile has the slug "${defaultSlug}"`);
  }
  if (problems.length > 0) throw new ConfigurationError(`${sourceName}: ${problems.join('; ')}`);
  return new InMemoryProfileRegistry(profiles, {
    ...(defaultSlug === undefined ? {} : { defaultSlug }),
    unavailable,
  });
}

function buildProfile(
  entry: ProfileFileEntry,
  at: string,
  baseDirectory: string,
  env: EngineEnv,
  problems: string[],
): Profile | undefined {
  const count = problems.length;
  if (entry.script !== undefined && entry.provider !== 'scripted') {
    problems.push(`${at}.script: only the scripted provider takes a script`);
  }
  if (entry.api_key_env !== undefined && !providerNeedsApiKey(entry.provider)) {
    problems.push(`${at}.api_key_env: provider ${entry.provider} takes no API key`);
  }
  if (entry.base_url !== undefined && entry.provider === 'scripted') {
    problems.push(`${at}.base_url: the scripted provider has no base URL`);
  }
  const script =
    entry.script !== undefined && entry.provider === 'scripted'
      ? loadScript(entry.script, `${at}.script`, baseDirectory, problems)
      : undefined;
  if (problems.length > count) return undefined;

  const engine: EngineSettings = {
    provider: entry.provider,
    model: entry.model ?? script?.model ?? defaultModels[entry.provider],
  };
  const apiKey = entry.api_key_env === undefined ? undefined : env[entry.api_key_env]?.trim();
  if (apiKey) engine.apiKey = apiKey;
  if (entry.base_url !== undefined) engine.baseUrl = entry.base_url;
  if (entry.temperature !== undefined) engine.temperature = entry.temperature;
  if (entry.top_p !== undefined) engine.topP = entry.top_p;
  if (entry.max_tokens !== undefined) engine.maxTokens = entry.max_tokens;
  if (entry.stop !== undefined) engine.stop = entry.stop;
  if (entry.reasoning_effort !== undefined) engine.reasoningEffort = entry.reasoning_effort;
  if (entry.idle_timeout !== undefined) engine.idleTimeoutMs = entry.idle_timeout;
  if (entry.max_retries !== undefined) engine.maxRetries = entry.max_retries;

  const profile: Profile = {
    slug: entry.slug,
    engine,
    systemPrompt: entry.system_prompt ?? defaultSystemPrompt,
    middlewares: entry.middlewares.map(({ name, config }) => (config === undefined ? { name } : { name, config })),
    tools: entry.tools ?? null,
    allowOverrides: entry.allow_overrides,
  };
  if (entry.description !== undefined) profile.description = entry.description;
  if (script !== undefined) profile.script = script;
  if (entry.tool_config !== undefined) profile.toolConfig = toToolConfig(entry.tool_config);
  if (entry.max_iterations !== undefined) profile.maxIterations = entry.max_iterations;
  if (entry.extensions !== undefined) profile.extensions = entry.extensions;
  return profile;
}

function loadScript(
  source: string | Record<string, unknown>,
  at: string,
  baseDirectory: string,
  problems: string[],
): Script | undefined {
  if (typeof source !== 'string') return tryParse(() => parseScript(source, 'inline script'), at, problems);
  let text: string;
  try {
    text = readFileSync(resolve(baseDirectory, source), 'utf8');
  } catch (error) {
    problems.push(`${at}: cannot read script file ${source}: ${errorMessage(error)}`);
    return undefined;
  }
  return tryParse(() => parseScriptYaml(text, source), at, problems);
}

function tryParse(parseScriptSource: () => Script, at: string, problems: string[]): Script | undefined {
  try {
    return parseScriptSource();
  } catch (error) {
    problems.push(`${at}: ${errorMessage(error)}`);
    return undefined;
  }
}

function toToolConfig(wire: z.output<typeof toolConfigFileSchema>): Partial<ToolConfig> {
  const config: Partial<ToolConfig> = {};
  if (wire.enabled !== undefined) config.enabled = wire.enabled;
  if (wire.tool_choice !== undefined) config.tool_choice = wire.tool_choice;
  if (wire.execution_timeout !== undefined) config.execution_timeout_ms = wire.execution_timeout;
  if (wire.max_parallel_tools !== undefined) config.max_parallel_tools = wire.max_parallel_tools;
  if (wire.tool_error_handling !== undefined) config.tool_error_handling = wire.tool_error_handling;
  if (wire.retry_config !== undefined) {
    const defaults = defaultToolConfig.retry_config;
    config.retry_config = {
      max_retries: wire.retry_config.max_retries ?? defaults.max_retries,
      backoff_base_ms: wire.retry_config.backoff_base ?? defaults.backoff_base_ms,
      backoff_factor: wire.retry_config.backoff_factor ?? defaults.backoff_factor,
    };
  }
  return config;
}

// One `path: message` per problem; unknown keys are reported at their own path.
function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .flatMap((issue) => {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `${path ? `${path}.` : ''}${key}: unknown key`);
      }
      return [`${path || '(root)'}: ${issue.message}`];
    })
    .join('; ');
}
