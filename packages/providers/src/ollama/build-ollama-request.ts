import type { InferenceContext, Turn } from '@cricket/core';
import type { EngineSettings } from '../engine-settings.js';
import type { SamplingMetadata } from '../shared/inference-stream.js';
import { convertToOllamaMessages, type OllamaMessage } from './convert-to-ollama-messages.js';

/** A function tool as advertised to Ollama (the OpenAI-like shape). */
export interface OllamaTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** Model `options` Cricket sets (Ollama's Modelfile parameter names). */
export interface OllamaOptions {
  temperature?: number;
  top_p?: number;
  num_predict?: number;
  stop?: string[];
}

/** The JSON body of a streamed `POST /api/chat`. */
export interface OllamaRequestBody {
  model: string;
  messages: OllamaMessage[];
  stream: true;
  tools?: OllamaTool[];
  options?: OllamaOptions;
  /** Separate the model's thinking into `message.thinking` (thinking-capable models only). */
  think?: true;
}

/** The request plus what the engine reports about it. */
export interface OllamaRequest {
  body: OllamaRequestBody;
  /** Sampling settings actually sent, for event metadata. */
  sampling: SamplingMetadata;
  /** Conversion problems to publish as `warn` log events. */
  warnings: string[];
}

/** The settings the request depends on. */
export type OllamaRequestSettings = Pick<
  EngineSettings,
  'model' | 'temperature' | 'topP' | 'maxTokens' | 'stop' | 'reasoningEffort'
>;

/**
 * Builds the streamed `/api/chat` request for a turn:
 * - `messages` from the blocks (see `convertToOllamaMessages`), `stream: true`;
 * - `options` with only the settings that are set: `temperature`, `top_p`, `num_predict`
 *   (= maxTokens), `stop`;
 * - `think: true` when `reasoningEffort` is set (Ollama's boolean switch; the effort level itself
 *   has no portable equivalent);
 * - tools: exactly `context.tools` in the function shape. Ollama has no `tool_choice`: `none`
 *   omits the tools (the only way to keep the model from calling them), `required` cannot be
 *   enforced and is sent like `auto` with a warning; tools are also omitted when the list is
 *   empty or `toolConfig.enabled` is false.
 */
export function buildOllamaRequest(
  turn: Turn,
  context: Pick<InferenceContext, 'tools' | 'toolConfig'>,
  settings: OllamaRequestSettings,
): OllamaRequest {
  const { messages, warnings } = convertToOllamaMessages(turn.blocks);
  const body: OllamaRequestBody = { model: settings.model, messages, stream: true };
  const sampling: SamplingMetadata = {};
  const options: OllamaOptions = {};
  if (settings.temperature !== undefined) {
    options.temperature = settings.temperature;
    sampling.temperature = settings.temperature;
  }
  if (settings.topP !== undefined) {
    options.top_p = settings.topP;
    sampling.top_p = settings.topP;
  }
  if (settings.maxTokens !== undefined) {
    options.num_predict = settings.maxTokens;
    sampling.max_tokens = settings.maxTokens;
  }
  if (settings.stop && settings.stop.length > 0) options.stop = [...settings.stop];
  if (Object.keys(options).length > 0) body.options = options;
  if (settings.reasoningEffort) body.think = true;
  const { toolConfig, tools } = context;
  if (toolConfig.enabled && tools.length > 0 && toolConfig.tool_choice !== 'none') {
    body.tools = tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
    if (toolConfig.tool_choice === 'required') {
      warnings.push('tool_choice "required" cannot be enforced by Ollama; the model may answer without a tool call');
    }
  }
  return { body, sampling, warnings };
}
