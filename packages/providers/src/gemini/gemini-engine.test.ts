import { createTurn, InferenceError, stopReasonKey, userBlock } from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineSettingsError } from '../shared/engine-settings-error.js';
import { isProviderError } from '../shared/provider-error.js';
import {
  createTestInferenceContext,
  fixtureResponse,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from '../testing/index.js';
import { createGeminiEngine, GeminiEngine, geminiStreamUrl } from './gemini-engine.js';

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

function engineFor(replay: ReplayServer, model = 'gemini-2.0-flash') {
  return createGeminiEngine({ model, apiKey: 'k', baseUrl: replay.url, maxRetries: 0 }, { env: {} });
}

describe('GeminiEngine construction', () => {
  it('fails fast with missing-api-key when neither settings nor GEMINI_API_KEY hold a key', () => {
    expect(() => createGeminiEngine({ model: 'gemini-2.0-flash' }, { env: {} })).toThrow(EngineSettingsError);
    expect(() => createGeminiEngine({ model: 'gemini-2.0-flash' }, { env: { GEMINI_API_KEY: '' } })).toThrow(
      /set GEMINI_API_KEY/,
    );
  });

  it('rejects invalid settings and foreign providers', () => {
    expect(() => createGeminiEngine({ model: 'gemini-2.0-flash', apiKey: 'k', topP: 3 })).toThrow(/topP/);
    expect(() => new GeminiEngine({ model: 'x', apiKey: 'k', provider: 'ollama' as 'gemini' })).toThrow(
      /cannot serve provider ollama/,
    );
  });

  it('builds the streaming URL from the host root and the model resource name', () => {
    const root = 'https://generativelanguage.googleapis.com';
    expect(geminiStreamUrl(root, 'gemini-2.5-flash')).toBe(
      `${root}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
    );
    expect(geminiStreamUrl(root, 'models/gemini-2.5-pro')).toBe(
      `${root}/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`,
    );
    expect(geminiStreamUrl(root, 'tunedModels/my model')).toBe(
      `${root}/v1beta/tunedModels/my%20model:streamGenerateContent?alt=sse`,
    );
  });

  it('reads GEMINI_API_KEY and GEMINI_BASE_URL, sends the key as a header only, plus extra headers', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createGeminiEngine(
      { model: 'gemini-2.0-flash', headers: { 'x-goog-user-project': 'proj-1' } },
      { env: { GEMINI_API_KEY: 'env-key', GEMINI_BASE_URL: `${replay.url}/` } },
    );
    expect(engine.info).toEqual({ provider: 'gemini', model: 'gemini-2.0-flash' });
    await engine.infer(createTurn({ blocks: [userBlock('Hello!')] }), createTestInferenceContext().context);
    const request = replay.requests[0];
    expect(request?.path).toBe('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
    expect(request?.path).not.toContain('key=');
    expect(request?.headers['x-goog-api-key']).toBe('env-key');
    expect(request?.headers['x-goog-user-project']).toBe('proj-1');
    expect(request?.headers.accept).toBe('text/event-stream');
  });
});

describe('GeminiEngine.infer', () => {
  it('stamps events with correlation ids, sampling settings and the answering model version', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const engine = createGeminiEngine(
      { model: 'gemini-flash-latest', apiKey: 'k', baseUrl: replay.url, temperature: 0.4, maxTokens: 64 },
      { env: {} },
    );
    const { context, sink } = createTestInferenceContext({ sessionId: 's-1', inferenceId: 'i-1' });
    await engine.infer(createTurn({ id: 't-1', blocks: [userBlock('Hello!')] }), context);
    expect(sink.events[0]?.meta).toMatchObject({
      session_id: 's-1',
      inference_id: 'i-1',
      turn_id: 't-1',
      model: 'gemini-flash-latest',
      temperature: 0.4,
      max_tokens: 64,
    });
    expect(sink.events.at(-1)?.meta.model).toBe('gemini-2.0-flash');
    expect(replay.requests[0]?.body).toMatchObject({ generationConfig: { temperature: 0.4, maxOutputTokens: 64 } });
  });

  it('a safety stop finishes with content_filter and keeps the streamed text', async () => {
    const replay = await serve(fixtureResponse(fixture('safety.sse')));
    const { context, sink } = createTestInferenceContext();
    const turn = createTurn({ blocks: [userBlock('Tell me something dangerous')] });
    await engineFor(replay).infer(turn, context);
    expect(sink.ofType('final')[0]).toMatchObject({ text: 'Sure, here is', meta: { stop_reason: 'content_filter' } });
    expect(turn.metadata.get(stopReasonKey)).toBe('content_filter');
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'llm_text', payload: { text: 'Sure, here is' } });
  });

  it('a blocked prompt → error event with the block reason, nothing appended', async () => {
    const replay = await serve(fixtureResponse(fixture('prompt-blocked.sse')));
    const { context, sink } = createTestInferenceContext();
    const turn = createTurn({ blocks: [userBlock('…')] });
    const error = await engineFor(replay)
      .infer(turn, context)
      .catch((caught: unknown) => caught);
    if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
    expect(error).toMatchObject({ code: 'stream-error', providerCode: 'PROHIBITED_CONTENT', blame: 'provider' });
    expect(sink.types()).toEqual(['start', 'error']);
    expect(turn.blocks).toHaveLength(1);
  });

  it("keeps the API's call id and records the call's thought signature on a reasoning block", async () => {
    const body = `data: ${JSON.stringify({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { functionCall: { id: 'fc_9', name: 'get_weather', args: { city: 'Oslo' } }, thoughtSignature: 'sig' },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 6, thoughtsTokenCount: 12 },
      modelVersion: 'gemini-3-pro-preview',
    })}\r\n\r\n`;
    const replay = await serve({ body });
    const { context, sink } = createTestInferenceContext();
    const turn = createTurn({ blocks: [userBlock('Weather in Oslo?')] });
    await engineFor(replay, 'gemini-3-pro-preview').infer(turn, context);
    expect(sink.ofType('tool-call')[0]?.tool_call).toEqual({
      id: 'fc_9',
      name: 'get_weather',
      input: '{"city":"Oslo"}',
    });
    expect(turn.blocks.slice(1).map((block) => [block.kind, block.payload])).toEqual([
      ['reasoning', { signature: 'sig', provider: 'gemini', signature_call_id: 'fc_9' }],
      ['tool_call', { id: 'fc_9', name: 'get_weather', args: { city: 'Oslo' } }],
    ]);
    expect(sink.ofType('final')[0]?.meta).toMatchObject({
      stop_reason: 'tool_calls',
      usage: { input_tokens: 30, output_tokens: 18, reasoning_tokens: 12 },
    });
  });

  it('a connection that dies or goes silent after the finishReason event has lost nothing', async () => {
    for (const ending of ['destroy', 'stall'] as const) {
      // One chunk, so the idle timer can only fire after the finishReason event.
      const replay = await serve(
        fixtureResponse(fixture('text-only.sse'), { ending, chunkSizes: { min: 65_536, max: 65_536 } }),
      );
      const engine = createGeminiEngine(
        { model: 'gemini-2.0-flash', apiKey: 'k', baseUrl: replay.url, maxRetries: 0, idleTimeoutMs: 500 },
        { env: {} },
      );
      const { context, sink } = createTestInferenceContext();
      await engine.infer(createTurn({ blocks: [userBlock('Hello!')] }), context);
      expect(sink.ofType('final')[0]).toMatchObject({ text: 'Hello! How can I help you today?' });
      await replay.close();
      server = undefined;
    }
  });

  it('does not send anything when already cancelled, and still reports the interrupt', async () => {
    const replay = await serve(fixtureResponse(fixture('text-only.sse')));
    const { context, sink, controller } = createTestInferenceContext();
    controller.abort();
    const turn = createTurn({ blocks: [userBlock('Hi')] });
    const error = await engineFor(replay)
      .infer(turn, context)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InferenceError);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(replay.requests).toHaveLength(0);
    expect(sink.types()).toEqual(['interrupt']);
    expect(turn.blocks).toHaveLength(1);
  });
});
