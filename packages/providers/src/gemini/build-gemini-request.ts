import type { InferenceContext, Turn } from '@cricket/core';
import type { EngineSettings } from '../engine-settings.js';
import type { SamplingMetadata } from '../shared/inference-stream.js';
import { convertToGeminiContents, type GeminiContent, type GeminiTextPart } from './convert-to-gemini-contents.js';
import { convertToGeminiSchema, type GeminiSchema } from './convert-to-gemini-schema.js';

/** A function the model may call, with its parameters as a typed Gemini schema. */
export interface GeminiFunctionDeclaration {
  name: string;
  description: string;
  /** Omitted for tools without parameters (Gemini rejects an OBJECT without properties). */
  parameters?: GeminiSchema;
}

/** Gemini's function-calling modes: `AUTO` (model decides), `ANY` (must call), `NONE` (must not). */
export type GeminiFunctionCallingMode = 'AUTO' | 'ANY' | 'NONE';

/** `generationConfig` fields Cricket sets. */
export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  thinkingConfig?: { includeThoughts: true; thinkingBudget: number };
}

/** The JSON body of `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` (the model is in the URL). */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: GeminiTextPart[] };
  tools?: [{ functionDeclarations: GeminiFunctionDeclaration[] }];
  toolConfig?: { functionCallingConfig: { mode: GeminiFunctionCallingMode } };
  generationConfig?: GeminiGenerationConfig;
}

/** The request plus what the engine reports about it. */
export interface GeminiRequest {
  body: GeminiRequestBody;
  /** Sampling settings actually sent, for event metadata. */
  sampling: SamplingMetadata;
  /** Conversion problems to publish as `warn` log events. */
  warnings: string[];
}

/** The settings the request depends on. */
export type GeminiRequestSettings = Pick<
  EngineSettings,
  'temperature' | 'topP' | 'maxTokens' | 'stop' | 'reasoningEffort'
>;

/**
 * Thinking budgets (tokens) per reasoning effort. 24 576 is the largest budget every Gemini 2.5
 * model accepts (Flash's maximum); Gemini 3 models map a budget onto their thinking level.
 */
export const geminiThinkingBudgets: Readonly<Record<NonNullable<EngineSettings['reasoningEffort']>, number>> = {
  low: 1024,
  medium: 8192,
  high: 24_576,
};

const callingModes: Record<InferenceContext['toolConfig']['tool_choice'], GeminiFunctionCallingMode> = {
  auto: 'AUTO',
  required: 'ANY',
  none: 'NONE',
};

/**
 * Builds the streamed `generateContent` request for a turn:
 * - `contents` and `systemInstruction` from the blocks (see `convertToGeminiContents`);
 * - `generationConfig` with only the settings that are set: `temperature`, `topP`,
 *   `maxOutputTokens`, `stopSequences`, and `thinkingConfig: {includeThoughts: true,
 *   thinkingBudget}` when `reasoningEffort` is set (budget from {@link geminiThinkingBudgets});
 * - tools: exactly `context.tools` as one `functionDeclarations` list with parameters converted to
 *   Gemini's typed schema, plus `toolConfig.functionCallingConfig.mode` from `tool_choice`
 *   (auto → AUTO, required → ANY, none → NONE); both omitted when the list is empty or
 *   `toolConfig.enabled` is false.
 */
export function buildGeminiRequest(
  turn: Turn,
  context: Pick<InferenceContext, 'tools' | 'toolConfig'>,
  settings: GeminiRequestSettings,
): GeminiRequest {
  const { contents, systemInstruction, warnings } = convertToGeminiContents(turn.blocks);
  const body: GeminiRequestBody = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const sampling: SamplingMetadata = {};
  const config: GeminiGenerationConfig = {};
  if (settings.temperature !== undefined) {
    config.temperature = settings.temperature;
    sampling.temperature = settings.temperature;
  }
  if (settings.topP !== undefined) {
    config.topP = settings.topP;
    sampling.top_p = settings.topP;
  }
  if (settings.maxTokens !== undefined) {
    config.maxOutputTokens = settings.maxTokens;
    sampling.max_tokens = settings.maxTokens;
  }
  if (settings.stop && settings.stop.length > 0) config.stopSequences = [...settings.stop];
  if (settings.reasoningEffort) {
    config.thinkingConfig = { includeThoughts: true, thinkingBudget: geminiThinkingBudgets[settings.reasoningEffort] };
  }
  if (Object.keys(config).length > 0) body.generationConfig = config;
  if (context.toolConfig.enabled && context.tools.length > 0) {
    body.tools = [{ functionDeclarations: context.tools.map(functionDeclaration) }];
    body.toolConfig = { functionCallingConfig: { mode: callingModes[context.toolConfig.tool_choice] } };
  }
  return { body, sampling, warnings };
}

function functionDeclaration(tool: InferenceContext['tools'][number]): GeminiFunctionDeclaration {
  const declaration: GeminiFunctionDeclaration = { name: tool.name, description: tool.description };
  const parameters = convertToGeminiSchema(tool.parameters);
  const hasProperties = parameters.properties !== undefined && Object.keys(parameters.properties).length > 0;
  if (parameters.type !== 'OBJECT' || hasProperties) declaration.parameters = parameters;
  return declaration;
}
