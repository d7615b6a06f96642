import type { Engine, EngineInfo, InferenceContext, Turn } from '@cricket/core';
import { type EngineSettings, parseProviderSettings, requireApiKey, resolveBaseUrl } from '../engine-settings.js';
import { EngineSettingsError } from '../shared/engine-settings-error.js';
import { InferenceStream } from '../shared/inference-stream.js';
import { postJsonStream } from '../shared/post-json-stream.js';
import { type ProviderEngineOptions, requestTuning, streamTuning } from '../shared/provider-engine-options.js';
import { readSseStream } from '../shared/sse-stream.js';
import { AnthropicStreamDecoder } from './anthropic-stream.js';
import { buildAnthropicRequest } from './build-anthropic-request.js';

/** Provider id of this engine (turn `providerKey`, `EngineInfo.provider`). */
export const anthropicProvider = 'anthropic';

/** The API version every request names (`anthropic-version` header). */
export const anthropicApiVersion = '2023-06-01';

/** Settings of the Anthropic Messages engine; `provider` may be omitted. */
export type AnthropicEngineSettings = Omit<EngineSettings, 'provider'> & { provider?: 'anthropic' };

/**
 * The Anthropic Messages engine (`POST {baseUrl}/v1/messages`, streamed over SSE, headers
 * `x-api-key` and `anthropic-version: 2023-06-01`).
 *
 * Construction validates the settings and resolves the API key (`ANTHROPIC_API_KEY`) and base URL
 * (`ANTHROPIC_BASE_URL`, default `https://api.anthropic.com`; a host root — a trailing `/v1` is
 * tolerated and not doubled); a missing key throws {@link EngineSettingsError} `missing-api-key`
 * here rather than failing the first inference. `headers` from the settings are sent too and may
 * override `anthropic-version` (e.g. to add `anthropic-beta`), not the key.
 *
 * `infer` follows the `Engine` contract: events `start` → `partial-thinking` / `partial` →
 * `tool-call` (content-block order, after the stream) → `final` (`meta.extra`: `response_id`, the
 * `msg_…` id, and `stop_sequence` when one ended the message); blocks appended to the given turn in
 * content-block order: one `reasoning` block per thinking block (`signature`, or `encrypted_content`
 * for redacted thinking, marked `provider: 'anthropic'` so that it is replayed unchanged and in order
 * on the next call of a tool loop), `llm_text` (adjacent text blocks merged), `tool_call`s — all on
 * the turn before `final` is published. Provider failures (HTTP errors, in-stream `error` events,
 * malformed or cut streams, idle timeouts) publish `error` and reject with a `ProviderError`; abort
 * publishes `interrupt`, closes the HTTP request and rejects with `InferenceError('cancelled')`.
 */
export class AnthropicEngine implements Engine {
  readonly info: EngineInfo;
  readonly #settings: EngineSettings;
  readonly #options: ProviderEngineOptions;
  readonly #apiKey: string;
  readonly #url: string;

  constructor(settings: AnthropicEngineSettings, options: ProviderEngineOptions = {}) {
    this.#settings = parseProviderSettings(anthropicProvider, 'AnthropicEngine', settings);
    this.#options = options;
    this.#apiKey = requireApiKey(this.#settings, options.env);
    const baseUrl = resolveBaseUrl(this.#settings, options.env) ?? 'https://api.anthropic.com';
    // The base URL is a host root; tolerate the common mistake of including the version path.
    this.#url = `${baseUrl.replace(/\/v1$/, '')}/v1/messages`;
    this.info = { provider: anthropicProvider, model: this.#settings.model };
  }

  async infer(turn: Turn, context: InferenceContext): Promise<Turn> {
    const { body, sampling, warnings } = buildAnthropicRequest(turn, context, this.#settings);
    const stream = new InferenceStream({
      provider: anthropicProvider,
      model: this.#settings.model,
      turn,
      context,
      sampling,
    });
    for (const warning of warnings) stream.log('warn', `${anthropicProvider}: ${warning}`);
    try {
      const response = await postJsonStream({
        provider: anthropicProvider,
        url: this.#url,
        body,
        headers: {
          'anthropic-version': anthropicApiVersion,
          ...this.#settings.headers,
          'x-api-key': this.#apiKey,
          accept: 'text/event-stream',
        },
        signal: context.signal,
        ...requestTuning(this.#settings, this.#options),
        onRetry: (notice) => stream.logRetry(notice),
      });
      stream.start();
      const decoder = new AnthropicStreamDecoder(anthropicProvider, stream);
      for await (const message of readSseStream(response.body, {
        provider: anthropicProvider,
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
      // `outcome.output` lists the content blocks in order: one reasoning block per thinking block.
      return stream.finish(outcome);
    } catch (error) {
      throw stream.fail(error);
    }
  }
}

/** Creates an {@link AnthropicEngine}; see its constructor for validation and fallbacks. */
export function createAnthropicEngine(
  settings: AnthropicEngineSettings,
  options: ProviderEngineOptions = {},
): AnthropicEngine {
  return new AnthropicEngine(settings, options);
}
