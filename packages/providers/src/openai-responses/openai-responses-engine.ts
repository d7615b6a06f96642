import type { Engine, EngineInfo, InferenceContext, Turn } from '@cricket/core';
import { type EngineSettings, parseProviderSettings, requireApiKey, resolveBaseUrl } from '../engine-settings.js';
import { EngineSettingsError } from '../shared/engine-settings-error.js';
import { InferenceStream } from '../shared/inference-stream.js';
import { postJsonStream } from '../shared/post-json-stream.js';
import { type ProviderEngineOptions, requestTuning, streamTuning } from '../shared/provider-engine-options.js';
import { readSseStream } from '../shared/sse-stream.js';
import { buildOpenAIResponsesRequest } from './build-openai-responses-request.js';
import { OpenAIResponsesStreamDecoder } from './openai-responses-stream.js';

/** Provider id of this engine (turn `providerKey`, `EngineInfo.provider`). */
export const openAIResponsesProvider = 'openai-responses';

/** Settings of the OpenAI Responses engine; `provider` may be omitted. */
export type OpenAIResponsesEngineSettings = Omit<EngineSettings, 'provider'> & { provider?: 'openai-responses' };

/**
 * The OpenAI Responses engine (`POST {baseUrl}/responses`, streamed, `store: false`).
 *
 * Construction validates the settings and resolves the API key (`OPENAI_API_KEY`) and base URL
 * (`OPENAI_BASE_URL`, default `https://api.openai.com/v1`); a missing key throws
 * {@link EngineSettingsError} `missing-api-key` here rather than failing the first inference.
 *
 * `infer` follows the `Engine` contract: events `start` → `partial` / `partial-thinking` (plus
 * `info` markers, web search and citation events) → `tool-call` per function call in output order
 * → `final` (`meta.extra.response_id`: the `resp_…` id). The blocks appended to the turn (before
 * `final` is published) keep the response's output order — each `reasoning` block (summary text,
 * `item_id`, `encrypted_content`) right before the `llm_text` (with `item_id`) or `tool_call` blocks
 * that followed it — so the next request can replay reasoning where the API requires it. Provider failures, including `response.failed` and `error` events inside the stream,
 * publish `error` and reject with a `ProviderError`; abort publishes `interrupt`, closes the HTTP
 * request and rejects with `InferenceError('cancelled')`.
 */
export class OpenAIResponsesEngine implements Engine {
  readonly info: EngineInfo;
  readonly #settings: EngineSettings;
  readonly #options: ProviderEngineOptions;
  readonly #apiKey: string;
  readonly #baseUrl: string;

  constructor(settings: OpenAIResponsesEngineSettings, options: ProviderEngineOptions = {}) {
    this.#settings = parseProviderSettings(openAIResponsesProvider, 'OpenAIResponsesEngine', settings);
    this.#options = options;
    this.#apiKey = requireApiKey(this.#settings, options.env);
    this.#baseUrl = resolveBaseUrl(this.#settings, options.env) ?? 'https://api.openai.com/v1';
    this.info = { provider: openAIResponsesProvider, model: this.#settings.model };
  }

  async infer(turn: Turn, context: InferenceContext): Promise<Turn> {
    const { body, sampling, warnings } = buildOpenAIResponsesRequest(turn, context, this.#settings);
    const stream = new InferenceStream({
      provider: openAIResponsesProvider,
      model: this.#settings.model,
      turn,
      context,
      sampling,
    });
    for (const warning of warnings) stream.log('warn', `${openAIResponsesProvider}: ${warning}`);
    try {
      const response = await postJsonStream({
        provider: openAIResponsesProvider,
        url: `${this.#baseUrl}/responses`,
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
      const decoder = new OpenAIResponsesStreamDecoder(openAIResponsesProvider, stream);
      for await (const message of readSseStream(response.body, {
        provider: openAIResponsesProvider,
        signal: context.signal,
        ...streamTuning(this.#settings, this.#options),
      })) {
        // Stop at once when cancelled, even if more events sit in the current chunk, so the
        // interrupt text is exactly what was published.
        if (context.signal.aborted) break;
        // Leaving the loop (here or by a throw) cancels the body, which closes the connection.
        if (decoder.push(message)) break;
      }
      if (context.signal.aborted) throw stream.fail(undefined);
      const { outcome, toolCalls } = decoder.finish();
      for (const call of toolCalls) stream.toolCall(call);
      // `outcome.output` lists the output items in order, so the blocks are appended that way.
      return stream.finish(outcome);
    } catch (error) {
      throw stream.fail(error);
    }
  }
}

/** Creates an {@link OpenAIResponsesEngine}; see its constructor for validation and fallbacks. */
export function createOpenAIResponsesEngine(
  settings: OpenAIResponsesEngineSettings,
  options: ProviderEngineOptions = {},
): OpenAIResponsesEngine {
  return new OpenAIResponsesEngine(settings, options);
}
