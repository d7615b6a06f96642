import { z } from 'zod';
import type { MiddlewareSpec, Profile } from './profile.js';
import { ProfileError } from './profile-error.js';

/** Override keys that change the engine configuration and therefore need `allowOverrides`. */
export const engineOverrideKeys = ['system_prompt', 'middlewares', 'tools'] as const;

const systemPromptSchema = z.string({ error: 'must be a string' });
const middlewaresSchema = z.array(
  z.strictObject(
    {
      name: z.string({ error: 'must be a string' }).trim().min(1, 'must not be blank'),
      config: z.record(z.string(), z.unknown(), { error: 'must be an object' }).nullish(),
    },
    { error: 'must be an object with a name' },
  ),
  { error: 'must be an array' },
);
const toolsSchema = z.array(z.string({ error: 'must be a string' }).trim().min(1, 'must not be blank'), {
  error: 'must be an array',
});

/**
 * The profile a `/chat` request runs with: `profile` with the request's `overrides` applied
 * (reference §9.3). `system_prompt` (string; a blank one keeps the profile's), `middlewares`
 * (array of `{name, config?}`) and `tools` (array of non-blank names; duplicates dropped) each
 * replace the profile's value. A `null` or absent key changes nothing; other keys (`step_mode`, ...)
 * are ignored here. The profile is never mutated.
 *
 * Throws `ProfileError`: `overrides-not-allowed` when an engine key is present and the profile does
 * not allow overrides (`profile "<slug>" does not allow overrides`); `overrides-invalid` naming the
 * field (`overrides.tools.1: must not be blank`) for a wrong type or shape.
 */
export function applyOverrides(profile: Profile, overrides: Record<string, unknown> | null | undefined): Profile {
  if (overrides === null || overrides === undefined) return profile;
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new ProfileError('overrides-invalid', 'overrides: must be an object');
  }
  const present = engineOverrideKeys.filter((key) => overrides[key] !== undefined && overrides[key] !== null);
  if (present.length === 0) return profile;
  if (!profile.allowOverrides) {
    throw new ProfileError('overrides-not-allowed', `profile "${profile.slug}" does not allow overrides`);
  }
  const systemPrompt = parseOverride(systemPromptSchema, overrides.system_prompt, 'system_prompt');
  const middlewares = parseOverride(middlewaresSchema, overrides.middlewares, 'middlewares');
  const tools = parseOverride(toolsSchema, overrides.tools, 'tools');
  return {
    ...profile,
    systemPrompt: systemPrompt?.trim() ? systemPrompt : profile.systemPrompt,
    middlewares: middlewares === undefined ? profile.middlewares : middlewares.map(toMiddlewareSpec),
    tools: tools === undefined ? profile.tools : [...new Set(tools)],
  };
}

const stepModeWords = new Set(['1', 'true', 'yes', 'y', 'on']);

/**
 * Whether a request asks for step mode: `overrides.step_mode` is `true`, or one of the strings
 * `1`, `true`, `yes`, `y`, `on` (case-insensitive, surrounding spaces ignored).
 */
export function isStepModeRequested(overrides: Record<string, unknown> | null | undefined): boolean {
  const value = overrides?.step_mode;
  if (value === true) return true;
  return typeof value === 'string' && stepModeWords.has(value.trim().toLowerCase());
}

function parseOverride<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  key: string,
): z.output<Schema> | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .flatMap((issue) => {
      const path = ['overrides', key, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') return issue.keys.map((name) => `${path}.${name}: unknown key`);
      return [`${path}: ${issue.message}`];
    })
    .join('; ');
  throw new ProfileError('overrides-invalid', detail, { cause: parsed.error });
}

function toMiddlewareSpec(entry: {
  name: string;
  config?: Record<string, unknown> | null | undefined;
}): MiddlewareSpec {
  return entry.config === undefined || entry.config === null
    ? { name: entry.name }
    : { name: entry.name, config: entry.config };
}
