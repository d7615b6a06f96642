// Public surface of @cricket/providers. Every export is listed explicitly. Test helpers (replay
// server, fixtures) live in `@cricket/providers/testing`; the conformance suite is internal.

export {
  AnthropicEngine,
  type AnthropicEngineSettings,
  anthropicApiVersion,
  anthropicProvider,
  createAnthropicEngine,
} from './anthropic/anthropic-engine.js';
export { anthropicReasoningProvider } from './anthropic/anthropic-reasoning.js';
export {
  type AnthropicSampling,
  anthropicRejectsTemperatureWithTopP,
  anthropicThinkingBudgets,
  defaultAnthropicMaxTokens,
  resolveAnthropicSampling,
} from './anthropic/anthropic-sampling.js';
export {
  type AnthropicRequest,
  type AnthropicRequestSettings,
  anthropicToolChoice,
  buildAnthropicRequest,
} from './anthropic/build-anthropic-request.js';
export {
  type AnthropicConversionOptions,
  type ConvertedAnthropicMessages,
  convertToAnthropicMessages,
} from './anthropic/convert-to-anthropic-messages.js';
export { mapAnthropicStopReason } from './anthropic/map-anthropic-stop-reason.js';
export { mapAnthropicUsage } from './anthropic/map-anthropic-usage.js';
export { createEngine } from './create-engine.js';
export {
  type EngineEnv,
  type EngineProvider,
  type EngineSettings,
  engineProviders,
  engineSettingsSchema,
  parseEngineSettings,
  providerNeedsApiKey,
  requireApiKey,
  resolveApiKey,
  resolveBaseUrl,
} from './engine-settings.js';
export {
  buildGeminiRequest,
  type GeminiFunctionCallingMode,
  type GeminiFunctionDeclaration,
  type GeminiGenerationConfig,
  type GeminiRequest,
  type GeminiRequestBody,
  type GeminiRequestSettings,
  geminiThinkingBudgets,
} from './gemini/build-gemini-request.js';
export {
  type ConvertedGeminiContents,
  convertToGeminiContents,
  type GeminiContent,
  type GeminiFunctionCallPart,
  type GeminiFunctionResponsePart,
  type GeminiPart,
  type GeminiTextPart,
} from './gemini/convert-to-gemini-contents.js';
export { convertToGeminiSchema, type GeminiSchema, type GeminiSchemaType } from './gemini/convert-to-gemini-schema.js';
export {
  createGeminiEngine,
  defaultGeminiBaseUrl,
  GeminiEngine,
  type GeminiEngineSettings,
  geminiProvider,
  geminiStreamUrl,
} from './gemini/gemini-engine.js';
export {
  type GeminiThoughtSignature,
  geminiSignatureProvider,
  readGeminiSignature,
} from './gemini/gemini-thought-signature.js';
export { mapGeminiFinishReason } from './gemini/map-gemini-finish-reason.js';
export {
  buildOllamaRequest,
  type OllamaOptions,
  type OllamaRequest,
  type OllamaRequestBody,
  type OllamaRequestSettings,
  type OllamaTool,
} from './ollama/build-ollama-request.js';
export {
  type ConvertedOllamaMessages,
  convertToOllamaMessages,
  type OllamaMessage,
  type OllamaToolCall,
} from './ollama/convert-to-ollama-messages.js';
export { mapOllamaDoneReason } from './ollama/map-ollama-done-reason.js';
export {
  createOllamaEngine,
  defaultOllamaHost,
  OllamaEngine,
  type OllamaEngineSettings,
  ollamaProvider,
} from './ollama/ollama-engine.js';
export {
  buildOpenAIChatRequest,
  type OpenAIChatRequest,
  type OpenAIChatRequestBody,
  type OpenAIChatRequestSettings,
  type OpenAIChatTool,
} from './openai-chat/build-openai-chat-request.js';
export {
  type ConvertedOpenAIChatMessages,
  convertToOpenAIChatMessages,
  type OpenAIChatContentPart,
  type OpenAIChatMessage,
  type OpenAIChatToolCall,
} from './openai-chat/convert-to-openai-chat-messages.js';
export { mapOpenAIChatFinishReason } from './openai-chat/map-openai-chat-finish-reason.js';
export {
  createOpenAIChatEngine,
  OpenAIChatEngine,
  type OpenAIChatEngineSettings,
  openAIChatProvider,
} from './openai-chat/openai-chat-engine.js';
export {
  buildOpenAIResponsesRequest,
  type OpenAIResponsesFunctionTool,
  type OpenAIResponsesRequest,
  type OpenAIResponsesRequestBody,
  type OpenAIResponsesRequestSettings,
} from './openai-responses/build-openai-responses-request.js';
export {
  type ConvertedOpenAIResponsesInput,
  convertToOpenAIResponsesInput,
  type OpenAIResponsesInputContent,
  type OpenAIResponsesInputItem,
  type OpenAIResponsesInputOptions,
} from './openai-responses/convert-to-openai-responses-input.js';
export {
  mapOpenAIResponsesStopReason,
  mapOpenAIResponsesUsage,
} from './openai-responses/map-openai-responses-ending.js';
export {
  createOpenAIResponsesEngine,
  OpenAIResponsesEngine,
  type OpenAIResponsesEngineSettings,
  openAIResponsesProvider,
} from './openai-responses/openai-responses-engine.js';
export { EngineSettingsError, type EngineSettingsErrorCode } from './shared/engine-settings-error.js';
export {
  InferenceStream,
  type InferenceStreamOptions,
  type SamplingMetadata,
  type StreamedToolCall,
  type StreamOutcome,
  type StreamOutputBlock,
} from './shared/inference-stream.js';
export { type NdjsonReadOptions, readNdjsonStream } from './shared/ndjson-stream.js';
export { isOpenAIReasoningModel } from './shared/openai-reasoning-model.js';
export {
  defaultMaxRetries,
  defaultMaxRetryDelayMs,
  defaultRetryBaseDelayMs,
  type PostJsonStreamOptions,
  parseRetryAfter,
  parseRetryInfoDelay,
  postJsonStream,
  type RetryNotice,
  redactUrl,
  type StreamingResponse,
} from './shared/post-json-stream.js';
export { type ProviderEngineOptions, requestTuning, streamTuning } from './shared/provider-engine-options.js';
export {
  isProviderError,
  isRetryableStatus,
  ProviderError,
  type ProviderErrorCode,
  type ProviderErrorOptions,
} from './shared/provider-error.js';
export {
  defaultErrorBodyLimit,
  describeProviderErrorBody,
  type ProviderErrorDetails,
  readErrorBody,
} from './shared/provider-error-body.js';
export { defaultIdleTimeoutMs, readByteChunks, type StreamReadOptions } from './shared/read-byte-chunks.js';
export { defaultMaxLineLength, readSseStream, type SseMessage, type SseReadOptions } from './shared/sse-stream.js';
export { type StopReason, stopReasons } from './shared/stop-reason.js';
