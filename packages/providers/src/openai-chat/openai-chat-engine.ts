import type { Engine, EngineInfo, InferenceContext, Turn } from '@cricket/core';
import { type EngineSettings, parseProviderSettings, requireApiKey, resolveBaseUrl } from '../engine-settings.js';
import { EngineSettingsError } from '../shared/engine-settings-error.js';
import { InferenceStream } from '../shared/inference-stream.js';
import { postJsonStream } from '../shared/post-json-stream.js';
import { type ProviderEngineOptions, requestTuning, streamTuning } from '../shared/provider-engine-options.js';
import { readSseStream } from '../shared/sse-stream.js';
import { buildOpenAIChatRequest } from './build-openai-chat-request.js';
import { OpenAIChatStreamDecoder } from './openai-chat-stream.js';

/** Provider id of this engine (turn `providerKey`, `EngineInfo.provider`). */
export const openAIChatProvider = 'openai-chat';

/** Settings of the OpenAI Chat Completions engine; `provider` may be omitted. */
export type OpenAIChatEngineSettings = Omit<EngineSettings, 'provider'> & { provider?: 'openai-chat' };

/**
 * The OpenAI Chat Completions engine (`POST {baseUrl}/chat/completions`, streamed). Also the engine
 * for OpenAI-compatible servers (vLLM, LM Studio, OpenRouter, DeepSeek, ...) via `baseUrl`, whose
 * `reasoning_content` deltas become thinking.
 *
 * Construction validates the settings and resolves the API key (`OPENAI_API_KEY`) and base URL
 * (`OPENAI_BASE_URL`, default `https://api.openai.com/v1`); a missing key throws
 * {@link EngineSettingsError} `missing-api-key` here rather than failing the first inference.
 *
 * `infer` follows the `Engine` contract: events `start` → `partial` / `partial-thinking` →
 * `tool-call` (index order, after the stream) → `final` (`meta.extra`: `response_id`, the
 * `chatcmpl-…` id, and `system_fingerprint` when sent); blocks reasoning → llm_text → tool_call
 * appended to the given turn; provider failures publish `error` and reject with a `ProviderError`;
 * abort publishes `interrupt`, closes the HTTP request and rejects with `InferenceError('cancelled')`.
 */
export class OpenAIChatEngine implements Engine {
  readonly info: EngineInfo;
  readonly #settings: EngineSettings;
  readonly #options: ProviderEngineOptions;
  readonly #apiKey: string;
  readonly #baseUrl: string;

  constructor(settings: OpenAIChatEngineSettings, options: ProviderEngineOptions = {}) {
    this.#settings = parseProviderSettings(openAIChatProvider, 'OpenAIChatEngine', settings);
    this.#options = options;
    this.#apiKey = requireApiKey(this.#settings, options.env);
    this.#baseUrl = resolveBaseUrl(this.#settings, options.env) ?? 'https://api.openai.com/v1';
    this.info = { provider: openAIChatProvider, model: this.#settings.model };
  }

  async infer(turn: Turn, context: InferenceContext): Promise<Turn> {
    const { body, sampling, warnings } = buildOpenAIChatRequest(turn, context, this.#settings);
    const stream = new InferenceStream({
      provider: openAIChatProvider,
      model: this.#settings.model,
      turn,
      context,
      sampling,
    });
    for (const warning of warnings) stream.log('warn', `${openAIChatProvider}: ${warning}`);
    try {
      const response = await postJsonStream({
        provider: openAIChatProvider,
        url: `${this.#baseUrl}/chat/completions`,
        body,
        headers: {
          ...this.#settings.headers,
          authorization: `Bearer ${this.#apiKey}`,
          accept: 'text/event-stream',
        },
        signal: context.signal,
        ...requestTuning(this.#settings, this.#options),
        onRetry: (notice) => stream.logRetry(notice),
      });
      stream.start();
      const decoder = new OpenAIChatStreamDecoder(openAIChatProvider, stream);
      for await (const message of readSseStream(response.body, {
        provider: openAIChatProvider,
        signal: context.signal,
        ...streamTuning(this.#settings, this.#options),
      })) {
        // Stop at once when cancelled, even if more events sit in the current chunk, so the
        // interrupt text is exactly what was published.
        if (context.signal.aborted) break;
        // Leaving the loop (here or by a throw) cancels the body, which closes the connection.
        if (decoder.push(message.data)) break;
      }
      if (context.signal.aborted) throw stream.fail(undefined);
      const { outcome, toolCalls } = decoder.finish();
      for (const call of toolCalls) stream.toolCall(call);
      return stream.finish(outcome);
    } catch (error) {
      throw stream.fail(error);
    }
  }
}

/** Creates an {@link OpenAIChatEngine}; see its constructor for validation and fallbacks. */
export function createOpenAIChatEngine(
  settings: OpenAIChatEngineSettings,
  options: ProviderEngineOptions = {},
): OpenAIChatEngine {
  return new OpenAIChatEngine(settings, options);
}
