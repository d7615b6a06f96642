import type { Engine, EngineInfo, InferenceContext, Turn } from '@cricket/core';
import { type EngineSettings, parseProviderSettings, requireApiKey, resolveBaseUrl } from '../engine-settings.js';
import { EngineSettingsError } from '../shared/engine-settings-error.js';
import { InferenceStream } from '../shared/inference-stream.js';
import { postJsonStream } from '../shared/post-json-stream.js';
import { type ProviderEngineOptions, requestTuning, streamTuning } from '../shared/provider-engine-options.js';
import { isProviderError } from '../shared/provider-error.js';
import { readSseStream } from '../shared/sse-stream.js';
import { buildGeminiRequest } from './build-gemini-request.js';
import { GeminiStreamDecoder } from './gemini-stream.js';

/** Provider id of this engine (turn `providerKey`, `EngineInfo.provider`). */
export const geminiProvider = 'gemini';

/** Default Gemini API root. */
export const defaultGeminiBaseUrl = 'https://generativelanguage.googleapis.com';

/** Settings of the Gemini engine; `provider` may be omitted. */
export type GeminiEngineSettings = Omit<EngineSettings, 'provider'> & { provider?: 'gemini' };

/**
 * The URL of a streamed `generateContent` call: `{baseUrl}/v1beta/models/{model}:streamGenerateContent?alt=sse`.
 * A model already written as a resource name (`models/x`, `tunedModels/y`) is used as is.
 */
export function geminiStreamUrl(baseUrl: string, model: string): string {
  const resource = model.includes('/') ? model : `models/${model}`;
  return `${baseUrl}/v1beta/${resource.split('/').map(encodeURIComponent).join('/')}:streamGenerateContent?alt=sse`;
}

/**
 * The Gemini engine (Google AI `generativelanguage` API, `streamGenerateContent` over SSE), with real
 * roles, a `systemInstruction`, typed function declarations, real function-call ids (generated and
 * kept when the API sends none) and thought-signature replay — none of which the reference did.
 *
 * Construction validates the settings and resolves the API key (`GEMINI_API_KEY`, sent as the
 * `x-goog-api-key` header, never in the URL) and base URL (`GEMINI_BASE_URL`, default
 * {@link defaultGeminiBaseUrl}); a missing key throws {@link EngineSettingsError} `missing-api-key`.
 *
 * `infer` follows the `Engine` contract: events `start` → `partial` / `partial-thinking` →
 * `tool-call` (in order, after the stream) → `final` (`meta.extra`: `response_id` and
 * `model_version`); blocks reasoning (thought summary and/or
 * signature) → llm_text → tool_call appended to the given turn; provider failures publish `error`
 * and reject with a `ProviderError`; abort publishes `interrupt`, closes the HTTP request and
 * rejects with `InferenceError('cancelled')`.
 */
export class GeminiEngine implements Engine {
  readonly info: EngineInfo;
  readonly #settings: EngineSettings;
  readonly #options: ProviderEngineOptions;
  readonly #apiKey: string;
  readonly #url: string;

  constructor(settings: GeminiEngineSettings, options: ProviderEngineOptions = {}) {
    this.#settings = parseProviderSettings(geminiProvider, 'GeminiEngine', settings);
    this.#options = options;
    this.#apiKey = requireApiKey(this.#settings, options.env);
    const baseUrl = resolveBaseUrl(this.#settings, options.env) ?? defaultGeminiBaseUrl;
    this.#url = geminiStreamUrl(baseUrl, this.#settings.model);
    this.info = { provider: geminiProvider, model: this.#settings.model };
  }

  async infer(turn: Turn, context: InferenceContext): Promise<Turn> {
    const { body, sampling, warnings } = buildGeminiRequest(turn, context, this.#settings);
    const stream = new InferenceStream({
      provider: geminiProvider,
      model: this.#settings.model,
      turn,
      context,
      sampling,
    });
    for (const warning of warnings) stream.log('warn', `${geminiProvider}: ${warning}`);
    try {
      const response = await postJsonStream({
        provider: geminiProvider,
        url: this.#url,
        body,
        headers: { ...this.#settings.headers, 'x-goog-api-key': this.#apiKey, accept: 'text/event-stream' },
        signal: context.signal,
        ...requestTuning(this.#settings, this.#options),
        onRetry: (notice) => stream.logRetry(notice),
      });
      stream.start();
      const decoder = new GeminiStreamDecoder(stream, {
        provider: geminiProvider,
        callIdPrefix: `call_${stream.messageId.replaceAll('-', '')}`,
      });
      try {
        for await (const message of readSseStream(response.body, {
          provider: geminiProvider,
          signal: context.signal,
          ...streamTuning(this.#settings, this.#options),
        })) {
          // Stop at once when cancelled, even if more events sit in the current chunk, so the
          // interrupt text is exactly what was published.
          if (context.signal.aborted) break;
          decoder.push(message.data);
        }
      } catch (error) {
        // Gemini has no end marker besides the finishReason event. Reading on after it picks up
        // any later usage update, but a connection that then dies or goes silent has lost nothing.
        if (!(decoder.finished && isLateTransportFailure(error))) throw error;
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

function isLateTransportFailure(error: unknown): boolean {
  return isProviderError(error) && (error.code === 'stream-truncated' || error.code === 'stream-idle-timeout');
}

/** Creates a {@link GeminiEngine}; see its constructor for validation and fallbacks. */
export function createGeminiEngine(settings: GeminiEngineSettings, options: ProviderEngineOptions = {}): GeminiEngine {
  return new GeminiEngine(settings, options);
}
