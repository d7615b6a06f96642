import type { Engine, EngineInfo, InferenceContext, Turn } from '@cricket/core';
import { type EngineSettings, parseProviderSettings, resolveBaseUrl } from '../engine-settings.js';
import { InferenceStream } from '../shared/inference-stream.js';
import { readNdjsonStream } from '../shared/ndjson-stream.js';
import { postJsonStream } from '../shared/post-json-stream.js';
import { type ProviderEngineOptions, requestTuning, streamTuning } from '../shared/provider-engine-options.js';
import { buildOllamaRequest } from './build-ollama-request.js';
import { OllamaStreamDecoder } from './ollama-stream.js';

/** Provider id of this engine (turn `providerKey`, `EngineInfo.provider`). */
export const ollamaProvider = 'ollama';

/** Default Ollama host. */
export const defaultOllamaHost = 'http://127.0.0.1:11434';

/** Settings of the Ollama engine; `provider` may be omitted. */
export type OllamaEngineSettings = Omit<EngineSettings, 'provider'> & { provider?: 'ollama' };

/**
 * The Ollama engine: the native `POST {host}/api/chat` endpoint, streamed as NDJSON (the reference
 * had no Ollama engine and went through the OpenAI-compatible endpoint).
 *
 * Construction validates the settings and resolves the host: `baseUrl`, else `OLLAMA_HOST` (which,
 * as with Ollama's own CLI, may omit the scheme and port), else {@link defaultOllamaHost}. No API
 * key is needed; an `apiKey`, when given, is sent as a bearer token (for Ollama behind an
 * authenticating proxy).
 *
 * `infer` follows the `Engine` contract: events `start` → `partial` / `partial-thinking` →
 * `tool-call` (in order, after the stream) → `final` (`meta.extra`: Ollama's timings in
 * nanoseconds); blocks reasoning → llm_text → tool_call
 * appended to the given turn; provider failures publish `error` and reject with a `ProviderError`;
 * abort publishes `interrupt`, closes the HTTP request and rejects with `InferenceError('cancelled')`.
 */
export class OllamaEngine implements Engine {
  readonly info: EngineInfo;
  readonly #settings: EngineSettings;
  readonly #options: ProviderEngineOptions;
  readonly #url: string;

  constructor(settings: OllamaEngineSettings, options: ProviderEngineOptions = {}) {
    this.#settings = parseProviderSettings(ollamaProvider, 'OllamaEngine', settings);
    this.#options = options;
    this.#url = `${resolveBaseUrl(this.#settings, options.env) ?? defaultOllamaHost}/api/chat`;
    this.info = { provider: ollamaProvider, model: this.#settings.model };
  }

  async infer(turn: Turn, context: InferenceContext): Promise<Turn> {
    const { body, sampling, warnings } = buildOllamaRequest(turn, context, this.#settings);
    const stream = new InferenceStream({
      provider: ollamaProvider,
      model: this.#settings.model,
      turn,
      context,
      sampling,
    });
    for (const warning of warnings) stream.log('warn', `${ollamaProvider}: ${warning}`);
    const apiKey = this.#settings.apiKey?.trim();
    try {
      const response = await postJsonStream({
        provider: ollamaProvider,
        url: this.#url,
        body,
        headers: {
          ...this.#settings.headers,
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          accept: 'application/x-ndjson',
        },
        signal: context.signal,
        ...requestTuning(this.#settings, this.#options),
        onRetry: (notice) => stream.logRetry(notice),
      });
      stream.start();
      const decoder = new OllamaStreamDecoder(stream, {
        provider: ollamaProvider,
        callIdPrefix: `call_${stream.messageId.replaceAll('-', '')}`,
      });
      for await (const line of readNdjsonStream(response.body, {
        provider: ollamaProvider,
        signal: context.signal,
        ...streamTuning(this.#settings, this.#options),
      })) {
        // Stop at once when cancelled, even if more lines sit in the current chunk, so the
        // interrupt text is exactly what was published.
        if (context.signal.aborted) break;
        // Leaving the loop (here or by a throw) cancels the body, which closes the connection.
        if (decoder.push(line)) break;
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

/** Creates an {@link OllamaEngine}; see its constructor for validation and fallbacks. */
export function createOllamaEngine(settings: OllamaEngineSettings, options: ProviderEngineOptions = {}): OllamaEngine {
  return new OllamaEngine(settings, options);
}
