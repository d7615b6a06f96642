import { parseDuration } from '@cricket/core';
import { engineProviders, engineSettingsSchema } from '@cricket/providers';
import { z } from 'zod';

/** Profile slugs: lower-case letters, digits, `_` and `-`, starting with a letter or digit, at most 64 characters. */
export const profileSlugPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const toolNamePattern = /^[A-Za-z0-9_-]{1,64}$/;
const environmentVariablePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Durations in profile files are strings only ("30s", "1m30s"), parsed by core's `parseDuration`:
// core's `durationSchema` also accepts bare numbers as nanoseconds (the reference's turn encoding),
// a trap in a hand-written file.
const durationStringSchema = z
  .string({ error: 'expected a duration string such as "30s" or "500ms"' })
  .transform((text, context) => {
    const milliseconds = parseDuration(text);
    if (milliseconds !== undefined) return milliseconds;
    context.addIssue({
      code: 'custom',
      message: `invalid duration ${JSON.stringify(text)} (expected e.g. "30s", "500ms")`,
    });
    return z.NEVER;
  });

const settings = engineSettingsSchema.shape;

const middlewareEntrySchema = z.strictObject({
  name: z.string().trim().min(1, 'middleware name must not be blank'),
  config: z.record(z.string(), z.unknown()).optional(),
});

/**
 * The `tool_config` of a profile: core's tool policy with its wire names and duration strings.
 * `max_iterations` and `allowed_tools` are not accepted here: use the profile's own `max_iterations`
 * and `tools`, so each setting has exactly one place.
 */
export const toolConfigFileSchema = z.strictObject({
  enabled: z.boolean().optional(),
  tool_choice: z.enum(['auto', 'none', 'required']).optional(),
  execution_timeout: durationStringSchema.optional(),
  max_parallel_tools: z.number().int().nonnegative().optional(),
  tool_error_handling: z.enum(['continue', 'abort', 'retry']).optional(),
  retry_config: z
    .strictObject({
      max_retries: z.number().int().nonnegative().optional(),
      backoff_base: durationStringSchema.optional(),
      backoff_factor: z.number().positive().optional(),
    })
    .optional(),
});

/**
 * One profile of a profiles file (snake_case keys, unknown keys rejected). Engine fields reuse the
 * constraints of `@cricket/providers`' `engineSettingsSchema`; `model` defaults per provider;
 * `script` (scripted provider only) is a path relative to the profiles file or an inline script.
 */
export const profileFileEntrySchema = z.strictObject({
  slug: z.string().regex(profileSlugPattern, 'slug must match [a-z0-9][a-z0-9_-]{0,63}'),
  description: z.string().optional(),
  provider: z.enum(engineProviders),
  model: z.string().trim().min(1, 'model must not be blank').optional(),
  base_url: settings.baseUrl,
  api_key_env: z.string().regex(environmentVariablePattern, 'expected an environment variable name').optional(),
  api_key: z
    .never({ error: 'API keys do not belong in profile files: name the environment variable with api_key_env' })
    .optional(),
  temperature: settings.temperature,
  top_p: settings.topP,
  max_tokens: settings.maxTokens,
  reasoning_effort: settings.reasoningEffort,
  stop: settings.stop,
  idle_timeout: durationStringSchema
    .refine((milliseconds) => milliseconds >= 1, 'idle_timeout must be at least 1ms')
    .transform(Math.ceil)
    .optional(),
  max_retries: settings.maxRetries,
  system_prompt: z.string().optional(),
  middlewares: z.array(middlewareEntrySchema).default([]),
  tools: z.array(z.string().regex(toolNamePattern, 'expected a tool name ([A-Za-z0-9_-], 1-64 characters)')).optional(),
  allow_overrides: z.boolean().default(false),
  max_iterations: z.number().int().min(1).max(1000).optional(),
  tool_config: toolConfigFileSchema.optional(),
  script: z.union([z.string().trim().min(1), z.record(z.string(), z.unknown())]).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});

/**
 * A profiles file: `default` (optional slug of the default profile) and a non-empty `profiles`
 * list. Slug uniqueness and the existence of `default` are checked by the loader.
 */
export const profilesFileSchema = z.strictObject({
  default: z.string().optional(),
  profiles: z.array(profileFileEntrySchema).min(1, 'at least one profile is required'),
});

/** One parsed profile entry. */
export type ProfileFileEntry = z.output<typeof profileFileEntrySchema>;
/** A parsed profiles file. */
export type ProfilesFile = z.output<typeof profilesFileSchema>;
