import { createTurn, userBlock } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { buildOpenAIChatRequest } from '../openai-chat/build-openai-chat-request.js';
import { buildOpenAIResponsesRequest } from '../openai-responses/build-openai-responses-request.js';
import { createTestInferenceContext } from '../testing/test-inference-context.js';
import { isOpenAIReasoningModel } from './openai-reasoning-model.js';

const reasoningModels = [
  'o1',
  'o1-mini',
  'o3',
  'o3-mini',
  'o4-mini-2025-04-16',
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-5.1',
  'gpt-5-codex',
  'codex-mini-latest',
  'openai/o3-mini',
  'OpenAI/GPT-5',
];
const otherModels = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1-mini',
  'gpt-5-chat-latest',
  'gpt-5.1-chat-latest',
  'openai/gpt-5-chat-latest',
  'llama3',
  'deepseek-reasoner',
];

describe('isOpenAIReasoningModel', () => {
  it('recognises the reasoning families, also behind a router prefix', () => {
    for (const model of reasoningModels) expect(isOpenAIReasoningModel(model), model).toBe(true);
  });

  it('rejects the -chat variants of gpt-5 and non-reasoning models', () => {
    for (const model of otherModels) expect(isOpenAIReasoningModel(model), model).toBe(false);
  });

  it('drives both OpenAI request builders the same way', () => {
    const { context } = createTestInferenceContext();
    const turn = createTurn({ blocks: [userBlock('Hi')] });
    const settings = { temperature: 0.5, reasoningEffort: 'low' as const };
    for (const model of [...reasoningModels, ...otherModels]) {
      const reasoning = isOpenAIReasoningModel(model);
      const chat = buildOpenAIChatRequest(turn, context, { model, ...settings }).body;
      const responses = buildOpenAIResponsesRequest(turn, context, { model, ...settings }).body;
      expect(chat.reasoning_effort !== undefined, `chat ${model}`).toBe(reasoning);
      expect(chat.temperature === undefined, `chat ${model}`).toBe(reasoning);
      expect(responses.reasoning !== undefined, `responses ${model}`).toBe(reasoning);
      expect(responses.temperature === undefined, `responses ${model}`).toBe(reasoning);
    }
  });
});
