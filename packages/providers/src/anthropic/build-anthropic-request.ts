import type { InferenceContext, ToolConfig, Turn } from '@cricket/core';
import type { EngineSettings } from '../engine-settings.js';
import type { SamplingMetadata } from '../shared/inference-stream.js';
import type { AnthropicMessage, AnthropicRequestBody, AnthropicToolChoice } from './anthropic-request-types.js';
import { resolveAnthropicSampling } from './anthropic-sampling.js';
import { type ConvertedAnthropicMessages, convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

/** The request plus what the engine reports about it. */
export interface AnthropicRequest {
  body: AnthropicRequestBody;
  /** Sampling settings actually sent, for event metadata. */
  sampling: SamplingMetadata;
  /** Conversion and sampling adjustments to publish as `warn` log events. */
  warnings: string[];
}

/** The settings the request depends on. */
export type AnthropicRequestSettings = Pick<
  EngineSettings,
  'model' | 'temperature' | 'topP' | 'maxTokens' | 'stop' | 'reasoningEffort'
>;

/**
 * Builds the streamed Messages request for a turn:
 * - `system` + `messages` from {@link convertToAnthropicMessages}; `max_tokens` (required; default
 *   4096), `temperature`, `top_p` and `thinking` from `resolveAnthropicSampling`; `stop_sequences`
 *   when set; `stream: true`.
 * - Tools: exactly `context.tools` as `{name, description, input_schema}`, with `tool_choice` from
 *   `context.toolConfig` (`auto` → `{type: auto}`, `required` → `{type: any}`, `none` →
 *   `{type: none}`) and `disable_parallel_tool_use: true` when `max_parallel_tools` ≤ 1; all omitted
 *   when the list is empty or `toolConfig.enabled` is false.
 * - Extended thinking (`reasoningEffort`) is left out, with a warning, when it cannot work for this
 *   request: a forced tool choice (`required`), or a tool-use exchange being continued whose
 *   assistant message carries no Anthropic thinking (the API requires the continued message to open
 *   with its thinking). When thinking is on, the Anthropic thinking blocks of the turn are replayed.
 */
export function buildAnthropicRequest(
  turn: Turn,
  context: Pick<InferenceContext, 'tools' | 'toolConfig'>,
  settings: AnthropicRequestSettings,
): AnthropicRequest {
  const withTools = context.toolConfig.enabled && context.tools.length > 0;
  let blocker =
    withTools && context.toolConfig.tool_choice === 'required'
      ? 'tool_choice "required" forces tool use, which Anthropic does not allow with extended thinking'
      : undefined;
  let converted = convertToAnthropicMessages(turn.blocks, { replayThinking: !!settings.reasoningEffort && !blocker });
  if (settings.reasoningEffort && !blocker && continuesToolUseWithoutThinking(converted)) {
    blocker = 'the tool-use exchange being continued was produced without Anthropic thinking';
    converted = convertToAnthropicMessages(turn.blocks, { replayThinking: false });
  }
  const resolved = resolveAnthropicSampling(settings, blocker);

  const body: AnthropicRequestBody = {
    model: settings.model,
    max_tokens: resolved.max_tokens,
    messages: converted.messages,
    stream: true,
  };
  if (converted.system !== undefined) body.system = converted.system;
  const sampling: SamplingMetadata = { max_tokens: resolved.max_tokens };
  if (resolved.temperature !== undefined) {
    body.temperature = resolved.temperature;
    sampling.temperature = resolved.temperature;
  }
  if (resolved.top_p !== undefined) {
    body.top_p = resolved.top_p;
    sampling.top_p = resolved.top_p;
  }
  if (resolved.thinking) body.thinking = resolved.thinking;
  const stop = (settings.stop ?? []).filter((sequence) => sequence !== '');
  if (stop.length > 0) body.stop_sequences = stop;
  if (withTools) {
    body.tools = context.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters,
    }));
    body.tool_choice = anthropicToolChoice(context.toolConfig);
  }
  return { body, sampling, warnings: [...converted.warnings, ...resolved.warnings] };
}

/**
 * The `tool_choice` of a tool policy: `auto` → `{type: 'auto'}`, `required` → `{type: 'any'}`,
 * `none` → `{type: 'none'}`; `disable_parallel_tool_use: true` (not defined for `none`) when at most
 * one tool may run at a time.
 */
export function anthropicToolChoice(
  config: Pick<ToolConfig, 'tool_choice' | 'max_parallel_tools'>,
): AnthropicToolChoice {
  if (config.tool_choice === 'none') return { type: 'none' };
  const type = config.tool_choice === 'required' ? 'any' : 'auto';
  return config.max_parallel_tools <= 1 ? { type, disable_parallel_tool_use: true } : { type };
}

// True when the request ends with tool results whose assistant message does not open with
// thinking: with thinking enabled, the API rejects such a request.
function continuesToolUseWithoutThinking(converted: ConvertedAnthropicMessages): boolean {
  const { messages } = converted;
  const last = messages.at(-1);
  if (last?.role !== 'user' || !last.content.some((block) => block.type === 'tool_result')) return false;
  const assistant: AnthropicMessage | undefined = messages.at(-2);
  const first = assistant?.role === 'assistant' ? assistant.content[0] : undefined;
  return first?.type !== 'thinking' && first?.type !== 'redacted_thinking';
}
