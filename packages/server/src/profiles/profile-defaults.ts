import type { EngineProvider } from '@cricket/providers';

/** Slug of the profile used when a request names none and the configuration chooses no other. */
export const defaultProfileSlug = 'default';

/** System prompt of the built-in `default` profile, and of file profiles that set none. */
export const defaultSystemPrompt = 'You are Cricket, a concise and helpful assistant. Use tools when they help.';

/**
 * Model used for each provider when a profile (or `CRICKET_MODEL`) names none. `scripted-demo` is
 * the scripted engine's built-in demo rules.
 */
export const defaultModels: Readonly<Record<EngineProvider, string>> = Object.freeze({
  'openai-chat': 'gpt-4o-mini',
  'openai-responses': 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
  gemini: 'gemini-2.5-flash',
  ollama: 'llama3.2',
  scripted: 'scripted-demo',
});
