import { createTurn, InferenceError, stopReasonKey, userBlock } from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineSettingsError } from '../shared/engine-settings-error.js';
import {
  createTestInferenceContext,
  fixtureResponse,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from '../testing/index.js';
import { createOllamaEngine, OllamaEngine } from './ollama-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(responses: ReplayResponse | ReplayResponse[]): Promise<ReplayServer> {
  server = await startReplayServer({ transcript: responses, seed: 4 });
  return server;
}

describe('OllamaEngine construction', () => {
  it('needs no API key and rejects invalid settings and foreign providers', () => {
    expect(createOllamaEngine({ model: 'llama3.1:8b' }, { env: {} }).info).toEqual({
      provider: 'ollama',
      model: 'llama3.1:8b',
    });
    expect(() => createOllamaEngine({ model: '' }, { env: {} })).toThrow(EngineSettingsError);
    expect(() => new OllamaEngine({ model: 'x', provider: 'gemini' as 'ollama' })).toThrow(
      /cannot serve provider gemini/,
    );
  });

  it('reads OLLAMA_HOST in Ollama CLI form (no scheme, explicit port) and posts to /api/chat', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.ndjson')));
    const host = replay.url.replace(/^http:\/\//, '');
    const engine = createOllamaEngine({ model: 'llama3.1:8b' }, { env: { OLLAMA_HOST: host } });
    await engine.infer(createTurn({ blocks: [userBlock('Hello!')] }), createTestInferenceContext().context);
    const request = replay.requests[0];
    expect(request?.path).toBe('/api/chat');
    expect(request?.headers.accept).toBe('application/x-ndjson');
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('sends an API key as a bearer token for proxies, plus extra headers', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.ndjson')));
    const engine = createOllamaEngine(
      { model: 'llama3.1:8b', apiKey: 'proxy-token', baseUrl: replay.url, headers: { 'x-team': 'a' } },
      { env: {} },
    );
    await engine.infer(createTurn({ blocks: [userBlock('Hello!')] }), createTestInferenceContext().context);
    expect(replay.requests[0]?.headers.authorization).toBe('Bearer proxy-token');
    expect(replay.requests[0]?.headers['x-team']).toBe('a');
  });
});

describe('OllamaEngine.infer', () => {
  it('stamps events with correlation ids and sampling settings, and sends options', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.ndjson')));
    const engine = createOllamaEngine(
      { model: 'llama3.1:8b', baseUrl: replay.url, temperature: 0.5, maxTokens: 32 },
      { env: {} },
    );
    const { context, sink } = createTestInferenceContext({ sessionId: 's-1', inferenceId: 'i-1' });
    await engine.infer(createTurn({ id: 't-1', blocks: [userBlock('Hello!')] }), context);
    expect(sink.events[0]?.meta).toMatchObject({
      session_id: 's-1',
      inference_id: 'i-1',
      turn_id: 't-1',
      model: 'llama3.1:8b',
      temperature: 0.5,
      max_tokens: 32,
    });
    expect(replay.requests[0]?.body).toMatchObject({ options: { temperature: 0.5, num_predict: 32 } });
  });

  it('thinks when a reasoning effort is set, and appends the thinking as a reasoning block', async () => {
    const replay = await serve(fixtureResponse(fixture('reasoning.ndjson')));
    const engine = createOllamaEngine(
      { model: 'qwen3:8b', baseUrl: replay.url, reasoningEffort: 'medium' },
      { env: {} },
    );
    const turn = createTurn({ blocks: [userBlock('Hello!')] });
    await engine.infer(turn, createTestInferenceContext().context);
    expect(replay.requests[0]?.body).toMatchObject({ think: true });
    expect(turn.blocks.slice(1).map((block) => [block.kind, block.payload])).toEqual([
      ['reasoning', { text: 'The user said hello, so I should greet them back and offer help.' }],
      ['llm_text', { text: 'Hello! How can I help you today?' }],
    ]);
  });

  it('a length stop finishes with max_tokens', async () => {
    const replay = await serve(fixtureResponse(fixture('length.ndjson')));
    const { context, sink } = createTestInferenceContext();
    const turn = createTurn({ blocks: [userBlock('Hello!')] });
    await createOllamaEngine({ model: 'llama3.1:8b', baseUrl: replay.url }, { env: {} }).infer(turn, context);
    expect(sink.ofType('final')[0]).toMatchObject({ text: 'Hello! How can', meta: { stop_reason: 'max_tokens' } });
    expect(turn.metadata.get(stopReasonKey)).toBe('max_tokens');
  });

  it('stops reading at the done line and closes the connection even if the server keeps it open', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.ndjson'), { ending: 'stall' }));
    const { context, sink } = createTestInferenceContext();
    await createOllamaEngine({ model: 'llama3.1:8b', baseUrl: replay.url }, { env: {} }).infer(
      createTurn({ blocks: [userBlock('Hello!')] }),
      context,
    );
    expect(sink.types().at(-1)).toBe('final');
    expect(await replay.requests[0]?.outcome).toBe('client-closed');
  });

  it('does not send anything when already cancelled, and still reports the interrupt', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.ndjson')));
    const { context, sink, controller } = createTestInferenceContext();
    controller.abort();
    const turn = createTurn({ blocks: [userBlock('Hi')] });
    const error = await createOllamaEngine({ model: 'llama3.1:8b', baseUrl: replay.url }, { env: {} })
      .infer(turn, context)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InferenceError);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(replay.requests).toHaveLength(0);
    expect(sink.types()).toEqual(['interrupt']);
  });
});
