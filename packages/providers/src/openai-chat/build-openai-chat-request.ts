import type { InferenceContext, Turn } from '@cricket/core';
import type { EngineSettings } from '../engine-settings.js';
import type { SamplingMetadata } from '../shared/inference-stream.js';
import { isOpenAIReasoningModel } from '../shared/openai-reasoning-model.js';
import { convertToOpenAIChatMessages, type OpenAIChatMessage } from './convert-to-openai-chat-messages.js';

/** A function tool as advertised to Chat Completions. */
export interface OpenAIChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The JSON body of a streamed `POST /chat/completions`. */
export interface OpenAIChatRequestBody {
  model: string;
  messages: OpenAIChatMessage[];
  stream: true;
  stream_options: { include_usage: true };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  reasoning_effort?: 'low' | 'medium' | 'high';
  tools?: OpenAIChatTool[];
  tool_choice?: 'auto' | 'none' | 'required';
  parallel_tool_calls?: boolean;
}

/** The request plus what the engine reports about it. */
export interface OpenAIChatRequest {
  body: OpenAIChatRequestBody;
  /** Sampling settings actually sent, for event metadata. */
  sampling: SamplingMetadata;
  /** Conversion problems to publish as `warn` log events. */
  warnings: string[];
}

/** The settings the request depends on. */
export type OpenAIChatRequestSettings = Pick<
  EngineSettings,
  'model' | 'temperature' | 'topP' | 'maxTokens' | 'stop' | 'reasoningEffort'
>;

/**
 * Builds the streamed Chat Completions request for a turn:
 * - `stream: true` with `stream_options.include_usage` so the last chunk carries usage;
 * - sampling fields only when set (the reference's 32-token default is not kept); reasoning models
 *   (`isOpenAIReasoningModel`) get `max_completion_tokens`, `reasoning_effort` (when set) and no
 *   temperature / top-p;
 * - tools: exactly `context.tools` (already filtered by allowed tools and agent mode), omitted with
 *   `tool_choice` and `parallel_tool_calls` when the list is empty or `toolConfig.enabled` is false;
 *   `parallel_tool_calls` is `max_parallel_tools > 1`.
 */
export function buildOpenAIChatRequest(
  turn: Turn,
  context: Pick<InferenceContext, 'tools' | 'toolConfig'>,
  settings: OpenAIChatRequestSettings,
): OpenAIChatRequest {
  const { messages, warnings } = convertToOpenAIChatMessages(turn.blocks);
  const body: OpenAIChatRequestBody = {
    model: settings.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  const sampling: SamplingMetadata = {};
  const reasoning = isOpenAIReasoningModel(settings.model);
  if (settings.maxTokens !== undefined) {
    if (reasoning) body.max_completion_tokens = settings.maxTokens;
    else body.max_tokens = settings.maxTokens;
    sampling.max_tokens = settings.maxTokens;
  }
  if (reasoning) {
    if (settings.reasoningEffort) body.reasoning_effort = settings.reasoningEffort;
  } else {
    if (settings.temperature !== undefined) {
      body.temperature = settings.temperature;
      sampling.temperature = settings.temperature;
    }
    if (settings.topP !== undefined) {
      body.top_p = settings.topP;
      sampling.top_p = settings.topP;
    }
  }
  if (settings.stop && settings.stop.length > 0) body.stop = [...settings.stop];
  if (context.toolConfig.enabled && context.tools.length > 0) {
    body.tools = context.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
    body.tool_choice = context.toolConfig.tool_choice;
    body.parallel_tool_calls = context.toolConfig.max_parallel_tools > 1;
  }
  return { body, sampling, warnings };
}
