import type { Engine } from '@cricket/core';
import { AnthropicEngine } from './anthropic/anthropic-engine.js';
import type { EngineSettings } from './engine-settings.js';
import { GeminiEngine } from './gemini/gemini-engine.js';
import { OllamaEngine } from './ollama/ollama-engine.js';
import { OpenAIChatEngine } from './openai-chat/openai-chat-engine.js';
import { OpenAIResponsesEngine } from './openai-responses/openai-responses-engine.js';
import { EngineSettingsError } from './shared/engine-settings-error.js';
import type { ProviderEngineOptions } from './shared/provider-engine-options.js';

type ProviderEngineFactory = (settings: EngineSettings, options: ProviderEngineOptions) => Engine;

/** The network providers and their engines. `scripted` lives in core and is created by the caller. */
const factories: Partial<Record<EngineSettings['provider'], ProviderEngineFactory>> = {
  'openai-chat': (settings, options) => new OpenAIChatEngine({ ...settings, provider: 'openai-chat' }, options),
  'openai-responses': (settings, options) =>
    new OpenAIResponsesEngine({ ...settings, provider: 'openai-responses' }, options),
  anthropic: (settings, options) => new AnthropicEngine({ ...settings, provider: 'anthropic' }, options),
  gemini: (settings, options) => new GeminiEngine({ ...settings, provider: 'gemini' }, options),
  ollama: (settings, options) => new OllamaEngine({ ...settings, provider: 'ollama' }, options),
};

/**
 * Creates the engine of a network provider from its settings — the only place that knows every
 * provider. Throws `EngineSettingsError`: `missing-api-key` (e.g. no `OPENAI_API_KEY`),
 * `invalid-settings`, or `unsupported-provider` (including `scripted`, which is not a network
 * provider: use core's `ScriptedEngine`).
 */
export function createEngine(settings: EngineSettings, options: ProviderEngineOptions = {}): Engine {
  const factory = factories[settings.provider];
  if (!factory) {
    throw new EngineSettingsError(
      'unsupported-provider',
      `no network engine for provider ${JSON.stringify(settings.provider)}`,
    );
  }
  return factory(settings, options);
}
