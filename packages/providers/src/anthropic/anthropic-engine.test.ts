import { createTurn, modelKey, usageKey, userBlock } from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineSettingsError } from '../shared/engine-settings-error.js';
import {
  createTestInferenceContext,
  fixtureResponse,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from '../testing/index.js';
import { AnthropicEngine, createAnthropicEngine } from './anthropic-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(responses: ReplayResponse | ReplayResponse[]): Promise<ReplayServer> {
  server = await startReplayServer({ transcript: responses, seed: 5 });
  return server;
}

describe('AnthropicEngine construction', () => {
  it('fails fast with missing-api-key when neither settings nor ANTHROPIC_API_KEY hold a key', () => {
    expect(() => createAnthropicEngine({ model: 'claude-sonnet-4-5' }, { env: {} })).toThrow(EngineSettingsError);
    expect(() => createAnthropicEngine({ model: 'claude-sonnet-4-5' }, { env: { ANTHROPIC_API_KEY: '' } })).toThrow(
      /set ANTHROPIC_API_KEY/,
    );
  });

  it('rejects invalid settings and foreign providers', () => {
    expect(() => createAnthropicEngine({ model: 'claude-sonnet-4-5', apiKey: 'k', topP: 3 })).toThrow(/topP/);
    expect(() => new AnthropicEngine({ model: 'x', apiKey: 'k', provider: 'gemini' as 'anthropic' })).toThrow(
      /cannot serve provider gemini/,
    );
  });

  it('reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL, sends the version and extra headers', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createAnthropicEngine(
      { model: 'claude-sonnet-4-5', headers: { 'anthropic-beta': 'context-1m-2025-08-07', 'x-api-key': 'spoofed' } },
      { env: { ANTHROPIC_API_KEY: 'sk-ant-env', ANTHROPIC_BASE_URL: `${replay.url}/` } },
    );
    expect(engine.info).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    await engine.infer(createTurn({ blocks: [userBlock('Hello!')] }), createTestInferenceContext().context);
    const request = replay.requests[0];
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe('sk-ant-env');
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(request?.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    expect(request?.headers.accept).toBe('text/event-stream');
  });

  it('does not double a /v1 suffix on the base URL', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createAnthropicEngine({ model: 'm', apiKey: 'k', baseUrl: `${replay.url}/v1` }, { env: {} });
    await engine.infer(createTurn({ blocks: [userBlock('Hello!')] }), createTestInferenceContext().context);
    expect(replay.requests[0]?.path).toBe('/v1/messages');
  });
});

describe('AnthropicEngine.infer', () => {
  it('stamps events with correlation ids, the answering model and the sampling actually sent', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createAnthropicEngine(
      { model: 'claude-sonnet-4-5', apiKey: 'k', baseUrl: replay.url, temperature: 0.3, maxTokens: 100 },
      { env: {} },
    );
    const { context, sink } = createTestInferenceContext({ sessionId: 's-1', inferenceId: 'i-1' });
    const turn = createTurn({ id: 't-1', blocks: [userBlock('Hello!')] });
    await engine.infer(turn, context);
    expect(sink.events[0]?.meta).toMatchObject({
      session_id: 's-1',
      inference_id: 'i-1',
      turn_id: 't-1',
      model: 'claude-sonnet-4-5',
      temperature: 0.3,
      max_tokens: 100,
    });
    expect(sink.events.at(-1)?.meta.model).toBe('claude-sonnet-4-5-20250929');
    expect(turn.metadata.get(modelKey)).toBe('claude-sonnet-4-5-20250929');
    expect(turn.metadata.get(usageKey)).toMatchObject({ input_tokens: 19, output_tokens: 12 });
  });

  it('appends one reasoning block per thinking block, in order, before the text', async () => {
    const replay = await serve(fixtureResponse(fixture('redacted-thinking.sse')));
    const engine = createAnthropicEngine(
      { model: 'claude-sonnet-4-5', apiKey: 'k', baseUrl: replay.url, reasoningEffort: 'low' },
      { env: {} },
    );
    const { context, sink } = createTestInferenceContext();
    const turn = createTurn({ blocks: [userBlock('Hello!')] });
    await engine.infer(turn, context);
    expect(turn.blocks.map((block) => block.kind)).toEqual(['user', 'reasoning', 'reasoning', 'llm_text']);
    expect(turn.blocks[1]?.payload).toEqual({
      text: 'Let me think about the greeting.',
      signature: expect.stringMatching(/^EqQB/),
      provider: 'anthropic',
    });
    expect(turn.blocks[2]?.payload).toEqual({
      encrypted_content: expect.stringMatching(/^EmwK/),
      provider: 'anthropic',
    });
    expect(sink.types()).toContain('partial-thinking');
    expect(replay.requests[0]?.body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 } });
  });

  it('publishes request adjustments as warn logs before the stream starts', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createAnthropicEngine(
      { model: 'claude-opus-4-1', apiKey: 'k', baseUrl: replay.url, temperature: 0.2, topP: 0.5 },
      { env: {} },
    );
    const { context, sink } = createTestInferenceContext();
    await engine.infer(createTurn({ blocks: [userBlock('Hi')] }), context);
    expect(sink.events[0]).toMatchObject({ type: 'log', level: 'warn', message: expect.stringContaining('topP 0.5') });
    expect(replay.requests[0]?.body).not.toHaveProperty('top_p');
  });

  it('does not send anything when already cancelled, and still reports the interrupt', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createAnthropicEngine({ model: 'm', apiKey: 'k', baseUrl: replay.url }, { env: {} });
    const { context, sink, controller } = createTestInferenceContext();
    controller.abort();
    const turn = createTurn({ blocks: [userBlock('Hi')] });
    await expect(engine.infer(turn, context)).rejects.toMatchObject({ name: 'InferenceError', code: 'cancelled' });
    expect(replay.requests).toHaveLength(0);
    expect(sink.types()).toEqual(['interrupt']);
    expect(turn.blocks).toHaveLength(1);
  });

  it('keeps streamed thinking without its signature when cancelled, so it is never replayed', async () => {
    const replay = await serve(fixtureResponse(fixture('thinking.sse'), { ending: 'stall', chunkDelayMs: 2 }));
    const engine = createAnthropicEngine({ model: 'm', apiKey: 'k', baseUrl: replay.url }, { env: {} });
    const { context } = createTestInferenceContext({
      onEvent: (event, controller) => {
        if (event.type === 'partial-thinking') controller.abort();
      },
    });
    const turn = createTurn({ blocks: [userBlock('Hi')] });
    await expect(engine.infer(turn, context)).rejects.toMatchObject({ code: 'cancelled' });
    expect(turn.blocks.at(-1)?.kind).toBe('reasoning');
    expect(turn.blocks.at(-1)?.payload).not.toHaveProperty('signature');
    expect(turn.blocks.at(-1)?.payload).not.toHaveProperty('provider');
  });
});
