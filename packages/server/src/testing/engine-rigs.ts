// The two engines the streaming integration tests run against: the offline scripted engine, and the
// OpenAI Chat engine talking to a fake OpenAI-compatible server that replays recorded transcripts
// (`packages/providers/src/openai-chat/__fixtures__`) with seeded random chunk boundaries. Each
// scenario behaves the same on both, so tests use `describe.each(engineCases)`. Test-only.
import {
  defineTool,
  demoStep,
  type Engine,
  type Script,
  ScriptedEngine,
  sleep,
  type ToolDefinition,
} from '@cricket/core';
import { createEngine } from '@cricket/providers';
import { fixtureResponse, type ReplayResponse, type ReplayServer, startReplayServer } from '@cricket/providers/testing';
import { z } from 'zod';
import type { Profile } from '../profiles/profile.js';
import { scriptedProfile, startTestServer, type TestServer, type TestServerOptions } from './start-test-server.js';

/**
 * What the engine does for the rig's prompt:
 * - `text`: streams {@link shortAnswer};
 * - `long`: streams {@link longAnswer} slowly (for joins, reconnects, stops and kills mid-stream);
 * - `tool`: calls `get_weather` {city: Paris}, then answers {@link shortAnswer};
 * - `tool-throws`: the same, but the tool throws;
 * - `slow-tool`: the same, but the tool runs until cancelled (10 s at most);
 * - `fail`: streams {@link failurePartial}, then the provider fails;
 * - `fail-after-tool`: calls the tool, then the provider fails on the second call.
 */
export type Scenario = 'text' | 'long' | 'tool' | 'tool-throws' | 'slow-tool' | 'fail' | 'fail-after-tool';

/** A server wired to one engine and scenario. */
export interface EngineRig {
  server: TestServer;
  /** A prompt that plays the scenario. */
  prompt: string;
  /** The complete answer text of a scenario that completes. */
  answer: string;
  /** What the `fail` scenario streams before the provider fails. */
  failurePartial: string;
  /** A prompt that answers {@link EngineRig.nextAnswer} once the scenario's inference is over. */
  nextPrompt: string;
  nextAnswer: string;
  /** The fake provider (OpenAI case only). */
  replay?: ReplayServer;
  /** Calls of `get_weather` the tool saw (all scenarios with a tool). */
  toolCalls: { city: string }[];
  close(): Promise<void>;
}

/** One engine the tests run against. */
export interface EngineCase {
  name: 'scripted' | 'openai-chat';
  start(scenario: Scenario, options?: TestServerOptions): Promise<EngineRig>;
}

/** The answer of `text` and of the second call of `tool` (the text of OpenAI's `text-only.sse`). */
export const shortAnswer = 'Hello! How can I help you today?';
/** What `fail` streams before failing (the text of OpenAI's `stream-error.sse`). */
export const failurePartial = 'Hello! How';
/** What the demo rules' `/fail` prompt streams before failing. */
const demoFailurePartial = 'Starting an answer that will fail';

/** A long deterministic answer (~2 KB) streamed in many small deltas. */
export const longAnswer = Array.from(
  { length: 32 },
  (_, index) => `Sentence ${index + 1} of the long answer arrives a few words at a time. `,
).join('');

const longDeltas = splitEvery(longAnswer, 12);

function splitEvery(text: string, size: number): string[] {
  const out: string[] = [];
  for (let index = 0; index < text.length; index += size) out.push(text.slice(index, index + size));
  return out;
}

/** The weather tool of the scenarios. */
function weatherTool(scenario: Scenario, calls: { city: string }[]): ToolDefinition {
  return defineTool({
    name: 'get_weather',
    description: 'Current weather of a city.',
    input: z.object({ city: z.string() }),
    async execute(args, context) {
      calls.push(args);
      if (scenario === 'tool-throws') throw new Error('weather service is down');
      if (scenario === 'slow-tool') await sleep(10_000, context.signal);
      return { city: args.city, forecast: 'sunny', celsius: 21 };
    },
  }) as ToolDefinition;
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

// ---------------------------------------------------------------- scripted

function scriptFor(scenario: Scenario): Script {
  const toolCall = { tool_calls: [{ name: 'get_weather', args: { city: 'Paris' } }] };
  const steps: Script['rules'][number]['steps'] = (() => {
    switch (scenario) {
      case 'text':
        return [{ text: shortAnswer }];
      case 'long':
        return [{ text: longAnswer }];
      case 'tool':
      case 'tool-throws':
      case 'slow-tool':
        return [toolCall, { text: shortAnswer }];
      case 'fail': // unused: `fail` plays the demo rules' `/fail` prompt (see scriptedCase)
        return [{ text: failurePartial, error: 'scripted failure: the provider fell over' }];
      case 'fail-after-tool':
        return [toolCall, { error: 'scripted failure after the tool call' }];
    }
  })();
  return {
    model: 'scripted-test',
    pace_ms: 0,
    chunk_chars: scenario === 'long' ? 12 : 8,
    rules: [{ match: '^echo ', steps: [{ text: 'Echo: {{prompt}}' }] }, { steps }],
  };
}

const scriptedCase: EngineCase = {
  name: 'scripted',
  async start(scenario, options = {}) {
    const toolCalls: { city: string }[] = [];
    // `fail` uses the built-in demo rules (no script): their `/fail` prompt streams a little text,
    // then the engine call fails.
    const demo = scenario === 'fail';
    const script = scriptFor(scenario);
    const paceMs = scenario === 'long' ? 2 : 1;
    const server = await startTestServer({
      logger: quiet,
      tools: () => [weatherTool(scenario, toolCalls)],
      ...options,
      profiles: [scriptedProfile('default', demo ? {} : { script })],
      createEngine: (profile): Engine =>
        new ScriptedEngine({
          model: profile.engine.model,
          paceMs,
          ...(profile.script ? { script: profile.script } : {}),
        }),
    });
    const demoInput = { prompt: 'echo next', round: 0, tools: ['get_weather'], results: [] };
    return {
      server,
      prompt: demo
        ? '/fail the provider fell over'
        : scenario === 'long'
          ? 'please write a long answer'
          : `scenario ${scenario}`,
      answer: scenario === 'long' ? longAnswer : shortAnswer,
      failurePartial: demo ? demoFailurePartial : failurePartial,
      nextPrompt: 'echo next',
      nextAnswer: demo ? (demoStep(demoInput).text ?? '') : 'Echo: echo next',
      toolCalls,
      close: () => server.close(),
    };
  },
};

// ---------------------------------------------------------------- OpenAI Chat against a replay server

function fixture(name: string, overrides: Partial<ReplayResponse> = {}): ReplayResponse {
  return fixtureResponse(
    new URL(`../../../providers/src/openai-chat/__fixtures__/${name}`, import.meta.url),
    overrides,
  );
}

/** A streamed Chat Completions body (compact chunks) whose content deltas are `deltas`. */
function openAiTextStream(deltas: readonly string[]): string {
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-long',
      object: 'chat.completion.chunk',
      created: 1741569952,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  const usage = `data: ${JSON.stringify({
    id: 'chatcmpl-long',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [],
    usage: { prompt_tokens: 20, completion_tokens: deltas.length, total_tokens: 20 + deltas.length },
  })}\n\n`;
  return [
    chunk({ role: 'assistant', content: '' }, null),
    ...deltas.map((content) => chunk({ content }, null)),
    chunk({}, 'stop'),
    usage,
    'data: [DONE]\n\n',
  ].join('');
}

/** The provider's responses in order; the last (`text-only.sse`) repeats for every later call. */
function responsesFor(scenario: Scenario): ReplayResponse[] {
  const paced = { chunkDelayMs: 1, chunkSizes: { min: 16, max: 128 } };
  const text = fixture('text-only.sse', paced);
  switch (scenario) {
    case 'text':
      return [text];
    case 'long':
      return [{ body: openAiTextStream(longDeltas), chunkDelayMs: 2, chunkSizes: { min: 100, max: 300 } }, text];
    case 'tool':
    case 'tool-throws':
    case 'slow-tool':
      return [fixture('tool-call.sse', paced), text];
    case 'fail':
      return [fixture('stream-error.sse', paced), text];
    case 'fail-after-tool':
      return [fixture('tool-call.sse', paced), fixture('error-400.json', { status: 400 }), text];
  }
}

/** A profile answered by the OpenAI Chat engine of a replay server. */
export function openAiProfile(slug: string, baseUrl: string): Profile {
  return {
    slug,
    engine: { provider: 'openai-chat', model: 'gpt-4o-mini', apiKey: 'test', baseUrl, maxRetries: 0 },
    systemPrompt: 'You are a test assistant.',
    middlewares: [],
    tools: null,
    allowOverrides: true,
  };
}

const openAiCase: EngineCase = {
  name: 'openai-chat',
  async start(scenario, options = {}) {
    const toolCalls: { city: string }[] = [];
    const replay = await startReplayServer({
      seed: 7,
      routes: [{ method: 'POST', path: '/v1/chat/completions', responses: responsesFor(scenario) }],
    });
    const server = await startTestServer({
      logger: quiet,
      tools: () => [weatherTool(scenario, toolCalls)],
      ...options,
      profiles: [openAiProfile('default', `${replay.url}/v1`), scriptedProfile('scripted')],
      createEngine: (profile): Engine =>
        profile.engine.provider === 'scripted'
          ? new ScriptedEngine({ model: profile.engine.model, paceMs: 1 })
          : createEngine(profile.engine),
    });
    return {
      server,
      replay,
      prompt: scenario === 'long' ? 'please write a long answer' : `scenario ${scenario}`,
      answer: scenario === 'long' ? longAnswer : shortAnswer,
      failurePartial,
      // The replay route repeats its last response: `text-only.sse`.
      nextPrompt: 'echo next',
      nextAnswer: shortAnswer,
      toolCalls,
      async close() {
        await server.close();
        await replay.close();
      },
    };
  },
};

/** Both engines, for `describe.each`. */
export const engineCases: readonly EngineCase[] = [scriptedCase, openAiCase];
