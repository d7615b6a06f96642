import { errorMessage, type InferenceContext, responsesServerToolsKey, type Turn } from '@cricket/core';
import type { EngineSettings } from '../engine-settings.js';
import type { SamplingMetadata } from '../shared/inference-stream.js';
import { isOpenAIReasoningModel } from '../shared/openai-reasoning-model.js';
import { convertToOpenAIResponsesInput, type OpenAIResponsesInputItem } from './convert-to-openai-responses-input.js';

/** A function tool in the Responses API's flat shape. */
export interface OpenAIResponsesFunctionTool {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  /** Always sent as `false`: the API defaults to `true`, which rejects schemas with optional fields. */
  strict: false;
}

/** The JSON body of a streamed `POST /responses`. */
export interface OpenAIResponsesRequestBody {
  model: string;
  input: OpenAIResponsesInputItem[];
  stream: true;
  /** Nothing is kept server-side; reasoning state travels in `encrypted_content` instead. */
  store: false;
  max_output_tokens?: number;
  temperature?: number;
  top_p?: number;
  reasoning?: { effort?: 'low' | 'medium' | 'high'; summary: 'auto' };
  include?: ['reasoning.encrypted_content'];
  /** Function tools, then the turn's hosted tools (`{type: 'web_search'}`, ...) verbatim. */
  tools?: (OpenAIResponsesFunctionTool | Record<string, unknown>)[];
  tool_choice?: 'auto' | 'none' | 'required';
  parallel_tool_calls?: boolean;
}

/** The request plus what the engine reports about it. */
export interface OpenAIResponsesRequest {
  body: OpenAIResponsesRequestBody;
  /** Sampling settings actually sent, for event metadata. */
  sampling: SamplingMetadata;
  /** Conversion and settings problems to publish as `warn` log events. */
  warnings: string[];
}

/** The settings the request depends on. */
export type OpenAIResponsesRequestSettings = Pick<
  EngineSettings,
  'model' | 'temperature' | 'topP' | 'maxTokens' | 'stop' | 'reasoningEffort'
>;

/**
 * Builds the streamed Responses request for a turn:
 * - `stream: true`, `store: false`; `input` from {@link convertToOpenAIResponsesInput} (system
 *   blocks as `developer` messages for reasoning models), replaying reasoning items;
 * - `max_output_tokens`, and for other models `temperature` / `top_p`, only when set. Stop sequences
 *   do not exist in the Responses API (the reference sent an unknown `stop_sequences`): they are
 *   dropped with a warning;
 * - reasoning models (`isOpenAIReasoningModel`): `reasoning: {effort?, summary: 'auto'}` (effort only when configured, so each
 *   model keeps its own default) and `include: ['reasoning.encrypted_content']`;
 * - tools: exactly `context.tools` as flat function tools with `strict: false`, plus `tool_choice`
 *   from the tool config (the reference never sent it) and `parallel_tool_calls`
 *   (`max_parallel_tools > 1`), all omitted when the list is empty or tools are disabled; hosted
 *   tools stored on the turn (`responsesServerToolsKey`) are appended verbatim.
 */
export function buildOpenAIResponsesRequest(
  turn: Turn,
  context: Pick<InferenceContext, 'tools' | 'toolConfig'>,
  settings: OpenAIResponsesRequestSettings,
): OpenAIResponsesRequest {
  const reasoning = isOpenAIReasoningModel(settings.model);
  const { input, warnings } = convertToOpenAIResponsesInput(turn.blocks, {
    systemRole: reasoning ? 'developer' : 'system',
  });
  const body: OpenAIResponsesRequestBody = { model: settings.model, input, stream: true, store: false };
  const sampling: SamplingMetadata = {};
  if (settings.maxTokens !== undefined) {
    body.max_output_tokens = settings.maxTokens;
    sampling.max_tokens = settings.maxTokens;
  }
  if (reasoning) {
    body.reasoning = { ...(settings.reasoningEffort ? { effort: settings.reasoningEffort } : {}), summary: 'auto' };
    body.include = ['reasoning.encrypted_content'];
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
  if (settings.stop && settings.stop.length > 0) {
    warnings.push('stop sequences are not supported by the Responses API and were not sent');
  }
  const tools: NonNullable<OpenAIResponsesRequestBody['tools']> = [];
  if (context.toolConfig.enabled && context.tools.length > 0) {
    for (const tool of context.tools) {
      tools.push({
        type: 'function',
        name: tool.name,
        description: tool.description,
        parameters: tool.parameters,
        strict: false,
      });
    }
    body.tool_choice = context.toolConfig.tool_choice;
    body.parallel_tool_calls = context.toolConfig.max_parallel_tools > 1;
  }
  tools.push(...serverTools(turn, warnings));
  if (tools.length > 0) body.tools = tools;
  return { body, sampling, warnings };
}

// A malformed value must not fail the inference: report it and send the function tools alone.
function serverTools(turn: Turn, warnings: string[]): Record<string, unknown>[] {
  try {
    return turn.data.get(responsesServerToolsKey) ?? [];
  } catch (error) {
    warnings.push(`ignored the turn's hosted tools: ${errorMessage(error)}`);
    return [];
  }
}
