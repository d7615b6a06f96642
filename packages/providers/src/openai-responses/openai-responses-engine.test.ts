import { createTurn, modelKey, stopReasonKey, usageKey, userBlock } from '@cricket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeEvents } from '../conformance/index.js';
import { EngineSettingsError } from '../shared/engine-settings-error.js';
import {
  createTestInferenceContext,
  fixtureResponse,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from '../testing/index.js';
import { createOpenAIResponsesEngine, OpenAIResponsesEngine } from './openai-responses-engine.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves `responses` and runs one inference of `model` on a one-prompt turn. */
async function run(responses: ReplayResponse | ReplayResponse[], model = 'gpt-5-mini', extra = {}) {
  server = await startReplayServer({ transcript: responses, seed: 3 });
  const engine = createOpenAIResponsesEngine(
    { model, apiKey: 'sk-test', baseUrl: `${server.url}/v1`, maxRetries: 0, ...extra },
    { env: {} },
  );
  const testContext = createTestInferenceContext({ sessionId: 's-1', inferenceId: 'i-1' });
  const turn = createTurn({ id: 't-1', blocks: [userBlock("What's the weather in Paris?")] });
  await engine.infer(turn, testContext.context);
  return { turn, events: testContext.sink.events, sink: testContext.sink, requests: server.requests };
}

describe('OpenAIResponsesEngine construction', () => {
  it('fails fast with missing-api-key when neither settings nor OPENAI_API_KEY hold a key', () => {
    expect(() => createOpenAIResponsesEngine({ model: 'gpt-5' }, { env: {} })).toThrow(EngineSettingsError);
    expect(() => createOpenAIResponsesEngine({ model: 'gpt-5' }, { env: {} })).toThrow(/set OPENAI_API_KEY/);
  });

  it('rejects invalid settings and foreign providers', () => {
    expect(() => createOpenAIResponsesEngine({ model: 'gpt-5', apiKey: 'k', topP: 3 })).toThrow(/topP/);
    expect(
      () => new OpenAIResponsesEngine({ model: 'x', apiKey: 'k', provider: 'openai-chat' as 'openai-responses' }),
    ).toThrow(/cannot serve provider openai-chat/);
  });

  it('reads OPENAI_API_KEY and OPENAI_BASE_URL from the environment and sends extra headers', async () => {
    server = await startReplayServer({ transcript: fixtureResponse(fixture('text-only.sse')) });
    const engine = createOpenAIResponsesEngine(
      { model: 'gpt-4o-mini', headers: { 'openai-project': 'proj_test' } },
      { env: { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: `${server.url}/v1/` } },
    );
    expect(engine.info).toEqual({ provider: 'openai-responses', model: 'gpt-4o-mini' });
    await engine.infer(createTurn({ blocks: [userBlock('Hello!')] }), createTestInferenceContext().context);
    const request = server.requests[0];
    expect(request?.path).toBe('/v1/responses');
    expect(request?.headers.authorization).toBe('Bearer sk-env');
    expect(request?.headers['openai-project']).toBe('proj_test');
  });
});

describe('OpenAIResponsesEngine.infer', () => {
  it('streams reasoning, a preamble and a call, and appends blocks in output order with item ids', async () => {
    const { turn, events } = await run(fixtureResponse(fixture('reasoning-tool-call.sse')));
    expect(normalizeEvents(events)).toEqual([
      { type: 'start' },
      { type: 'thinking', text: "**Checking the weather**\n\nThe user wants Paris weather; I'll call get_weather." },
      { type: 'text', text: 'Let me check the weather in Paris.' },
      { type: 'thinking', text: '\n\nCalling the tool with city Paris.' },
      { type: 'tool-call', name: 'get_weather', args: { city: 'Paris' } },
      { type: 'final', text: 'Let me check the weather in Paris.' },
    ]);
    const appended = turn.blocks.slice(1);
    expect(appended.map((block) => block.kind)).toEqual(['reasoning', 'llm_text', 'reasoning', 'tool_call']);
    expect(appended[0]?.payload).toMatchObject({
      text: "**Checking the weather**\n\nThe user wants Paris weather; I'll call get_weather.",
      item_id: expect.stringMatching(/^rs_/),
      encrypted_content: expect.stringMatching(/^gAAAAAB/),
    });
    expect(appended[1]?.payload).toMatchObject({ item_id: expect.stringMatching(/^msg_/) });
    expect(appended[2]?.payload).toMatchObject({ text: 'Calling the tool with city Paris.' });
    expect(appended[3]).toMatchObject({
      id: 'call_weatherParis0001',
      payload: {
        id: 'call_weatherParis0001',
        name: 'get_weather',
        args: { city: 'Paris' },
        item_id: expect.stringMatching(/^fc_/),
      },
    });
    expect(turn.metadata.get(stopReasonKey)).toBe('tool_calls');
    expect(turn.metadata.get(modelKey)).toBe('gpt-5-mini-2025-08-07');
    expect(turn.metadata.get(usageKey)).toEqual({
      input_tokens: 143,
      output_tokens: 212,
      cached_tokens: 0,
      reasoning_tokens: 160,
    });
    const markers = events.flatMap((event) => (event.type === 'info' ? [event.message] : []));
    expect(markers).toEqual([
      'thinking-started',
      'thinking-ended',
      'output-started',
      'output-ended',
      'thinking-started',
      'thinking-ended',
    ]);
  });

  it('stamps every event with the correlation ids, the response model and sampling settings', async () => {
    const { events } = await run(fixtureResponse(fixture('text-only.sse')), 'gpt-4o-mini', {
      temperature: 0.3,
      maxTokens: 100,
    });
    expect(events[0]?.meta).toMatchObject({
      session_id: 's-1',
      inference_id: 'i-1',
      turn_id: 't-1',
      temperature: 0.3,
      max_tokens: 100,
    });
    expect(events.at(-1)?.meta.model).toBe('gpt-4o-mini-2024-07-18');
    expect(new Set(events.map((event) => event.meta.message_id)).size).toBe(1);
  });

  it('publishes web search progress and citations; reasoning it cannot show or replay leaves no block', async () => {
    const { turn, events, requests } = await run(fixtureResponse(fixture('web-search.sse')));
    expect(
      events.map((event) => event.type).filter((type) => type.startsWith('web-search') || type === 'citation'),
    ).toEqual(['web-search-started', 'web-search-searching', 'web-search-done', 'citation']);
    expect(events.find((event) => event.type === 'citation')).toMatchObject({
      title: 'Météo Paris',
      url: 'https://www.meteo-paris.com/',
      start_index: 20,
      end_index: 65,
    });
    expect(turn.blocks.slice(1).map((block) => block.kind)).toEqual(['llm_text']);
    expect(requests[0]?.body).not.toHaveProperty('tools');
  });

  it('treats an incomplete response as finished with stop reason max_tokens and a warning', async () => {
    const { turn, events } = await run(fixtureResponse(fixture('incomplete.sse')), 'o4-mini');
    const final = events.at(-1);
    expect(final).toMatchObject({ type: 'final', text: 'Hello! How can I', meta: { stop_reason: 'max_tokens' } });
    expect(events.find((event) => event.type === 'log')).toMatchObject({
      level: 'warn',
      message: 'openai-responses: the response is incomplete (max_output_tokens)',
    });
    // The reasoning item precedes the (cut) message, so it stays replayable.
    expect(turn.blocks.slice(1).map((block) => [block.kind, block.payload.item_id !== undefined])).toEqual([
      ['reasoning', true],
      ['llm_text', true],
    ]);
    expect(turn.blocks[1]?.payload).toMatchObject({ encrypted_content: expect.stringMatching(/^gAAAAAB/) });
  });

  it('publishes request warnings (unsupported stop sequences) as log events', async () => {
    const { sink } = await run(fixtureResponse(fixture('text-only.sse')), 'gpt-4o-mini', { stop: ['END'] });
    expect(sink.ofType('log')[0]).toMatchObject({ level: 'warn', message: expect.stringContaining('stop sequences') });
  });

  it('does not send anything when already cancelled, and still reports the interrupt', async () => {
    server = await startReplayServer({ transcript: fixtureResponse(fixture('text-only.sse')) });
    const engine = createOpenAIResponsesEngine(
      { model: 'gpt-4o-mini', apiKey: 'k', baseUrl: `${server.url}/v1` },
      { env: {} },
    );
    const { context, sink, controller } = createTestInferenceContext();
    controller.abort();
    const turn = createTurn({ blocks: [userBlock('Hi')] });
    await expect(engine.infer(turn, context)).rejects.toMatchObject({ name: 'InferenceError', code: 'cancelled' });
    expect(server.requests).toHaveLength(0);
    expect(sink.types()).toEqual(['interrupt']);
    expect(turn.blocks).toHaveLength(1);
  });

  it('cancels mid-reasoning: interrupt, the streamed thinking kept, the connection closed', async () => {
    server = await startReplayServer({
      transcript: fixtureResponse(fixture('reasoning.sse'), { ending: 'stall', chunkDelayMs: 2 }),
      chunkSizes: { min: 200, max: 400 },
    });
    const engine = createOpenAIResponsesEngine(
      { model: 'o4-mini', apiKey: 'k', baseUrl: `${server.url}/v1` },
      { env: {} },
    );
    const { context, sink } = createTestInferenceContext({
      onEvent: (event, controller) => {
        if (event.type === 'partial-thinking') controller.abort();
      },
    });
    const turn = createTurn({ blocks: [userBlock('Hello!')] });
    await expect(engine.infer(turn, context)).rejects.toMatchObject({ code: 'cancelled' });
    expect(sink.types().at(-1)).toBe('interrupt');
    expect(turn.blocks.at(-1)).toMatchObject({ kind: 'reasoning', payload: { text: 'The user' } });
    expect(await server.requests[0]?.outcome).toBe('client-closed');
  });
});
