import {
  createTurn,
  InferenceError,
  llmTextBlock,
  modelKey,
  toolCallBlock,
  toolUseBlock,
  usageKey,
  userBlock,
} from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineSettingsError } from '../shared/engine-settings-error.js';
import {
  createTestInferenceContext,
  fixtureResponse,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from '../testing/index.js';
import { createOpenAIChatEngine, OpenAIChatEngine } from './openai-chat-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(responses: ReplayResponse | ReplayResponse[]): Promise<ReplayServer> {
  server = await startReplayServer({ transcript: responses, seed: 3 });
  return server;
}

describe('OpenAIChatEngine construction', () => {
  it('fails fast with missing-api-key when neither settings nor OPENAI_API_KEY hold a key', () => {
    expect(() => createOpenAIChatEngine({ model: 'gpt-4o-mini' }, { env: {} })).toThrow(EngineSettingsError);
    expect(() => createOpenAIChatEngine({ model: 'gpt-4o-mini' }, { env: { OPENAI_API_KEY: ' ' } })).toThrow(
      /set OPENAI_API_KEY/,
    );
  });

  it('rejects invalid settings and foreign providers', () => {
    expect(() => createOpenAIChatEngine({ model: 'gpt-4o', apiKey: 'k', temperature: 5 })).toThrow(/temperature/);
    expect(() => new OpenAIChatEngine({ model: 'x', apiKey: 'k', provider: 'anthropic' as 'openai-chat' })).toThrow(
      /cannot serve provider anthropic/,
    );
  });

  it('reads OPENAI_API_KEY and OPENAI_BASE_URL from the environment and sends extra headers', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createOpenAIChatEngine(
      { model: 'gpt-4o-mini', headers: { 'openai-organization': 'org-test' } },
      { env: { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: `${replay.url}/v1/` } },
    );
    expect(engine.info).toEqual({ provider: 'openai-chat', model: 'gpt-4o-mini' });
    await engine.infer(createTurn({ blocks: [userBlock('Hello!')] }), createTestInferenceContext().context);
    expect(replay.requests[0]?.path).toBe('/v1/chat/completions');
    expect(replay.requests[0]?.headers.authorization).toBe('Bearer sk-env');
    expect(replay.requests[0]?.headers['openai-organization']).toBe('org-test');
    expect(replay.requests[0]?.headers.accept).toBe('text/event-stream');
  });
});

describe('OpenAIChatEngine.infer', () => {
  it('stamps every event with the correlation ids, model and sampling settings', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createOpenAIChatEngine(
      { model: 'gpt-4o-mini', apiKey: 'k', baseUrl: `${replay.url}/v1`, temperature: 0.3, maxTokens: 100 },
      { env: {} },
    );
    const { context, sink } = createTestInferenceContext({ sessionId: 's-1', inferenceId: 'i-1' });
    await engine.infer(createTurn({ id: 't-1', blocks: [userBlock('Hello!')] }), context);
    const [start, ...rest] = sink.events;
    expect(start?.meta).toMatchObject({
      session_id: 's-1',
      inference_id: 'i-1',
      turn_id: 't-1',
      temperature: 0.3,
      max_tokens: 100,
    });
    // The model the response names replaces the requested alias.
    expect(rest.at(-1)?.meta.model).toBe('gpt-4o-mini-2024-07-18');
    expect(new Set(sink.events.map((event) => event.meta.message_id)).size).toBe(1);
  });

  it("uses a fresh message id per call and records each call's usage on the turn", async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createOpenAIChatEngine(
      { model: 'gpt-4o-mini', apiKey: 'k', baseUrl: `${replay.url}/v1` },
      { env: {} },
    );
    const turn = createTurn({ blocks: [userBlock('Hello!')] });
    const first = createTestInferenceContext();
    const second = createTestInferenceContext();
    await engine.infer(turn, first.context);
    await engine.infer(turn, second.context);
    expect(first.sink.events[0]?.meta.message_id).not.toBe(second.sink.events[0]?.meta.message_id);
    expect(turn.metadata.get(usageKey)).toEqual({
      input_tokens: 19,
      output_tokens: 10,
      cached_tokens: 0,
      reasoning_tokens: 0,
    });
    expect(turn.metadata.get(modelKey)).toBe('gpt-4o-mini-2024-07-18');
    expect(turn.blocks.map((block) => block.kind)).toEqual(['user', 'llm_text', 'llm_text']);
  });

  it('sends a tool conversation in the required order', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createOpenAIChatEngine(
      { model: 'gpt-4o-mini', apiKey: 'k', baseUrl: `${replay.url}/v1` },
      { env: {} },
    );
    const turn = createTurn({
      blocks: [
        userBlock('Weather in Paris?'),
        toolCallBlock('call_1', 'get_weather', { city: 'Paris' }),
        toolUseBlock('call_1', '{"temp_c":21}'),
        llmTextBlock('It is 21°C.'),
        userBlock('Thanks!'),
      ],
    });
    await engine.infer(turn, createTestInferenceContext().context);
    expect(replay.requests[0]?.body).toMatchObject({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c":21}' },
        { role: 'assistant', content: 'It is 21°C.' },
        { role: 'user', content: 'Thanks!' },
      ],
    });
  });

  it('publishes conversion warnings as log events', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createOpenAIChatEngine(
      { model: 'gpt-4o-mini', apiKey: 'k', baseUrl: `${replay.url}/v1` },
      { env: {} },
    );
    const { context, sink } = createTestInferenceContext();
    await engine.infer(createTurn({ blocks: [userBlock('Hi'), toolUseBlock('call_x', '1')] }), context);
    expect(sink.ofType('log')[0]).toMatchObject({ level: 'warn', message: expect.stringContaining('call_x') });
  });

  it('does not send anything when already cancelled, and still reports the interrupt', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createOpenAIChatEngine(
      { model: 'gpt-4o-mini', apiKey: 'k', baseUrl: `${replay.url}/v1` },
      { env: {} },
    );
    const { context, sink, controller } = createTestInferenceContext();
    controller.abort();
    const turn = createTurn({ blocks: [userBlock('Hi')] });
    await expect(engine.infer(turn, context)).rejects.toMatchObject({ name: 'InferenceError', code: 'cancelled' });
    expect(replay.requests).toHaveLength(0);
    expect(sink.types()).toEqual(['interrupt']);
    expect(turn.blocks).toHaveLength(1);
  });

  it('cancels promptly during a retry backoff', async () => {
    const replay = await serve({ status: 429, body: '{"error":{"message":"slow"}}', headers: { 'retry-after': '30' } });
    const engine = createOpenAIChatEngine(
      { model: 'gpt-4o-mini', apiKey: 'k', baseUrl: `${replay.url}/v1`, maxRetries: 3 },
      { env: {}, maxRetryDelayMs: 60_000 },
    );
    const { context, sink, controller } = createTestInferenceContext({
      onEvent: (event, abort) => {
        if (event.type === 'log') setTimeout(() => abort.abort(), 10);
      },
    });
    const startedAt = Date.now();
    const error = await engine
      .infer(createTurn({ blocks: [userBlock('Hi')] }), context)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InferenceError);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(sink.types()).toEqual(['log', 'interrupt']);
    expect(controller.signal.aborted).toBe(true);
  });
});
