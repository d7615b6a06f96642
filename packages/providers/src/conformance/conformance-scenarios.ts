import { createTurn, defineTool, systemBlock, type ToolDefinition, type Turn, userBlock } from '@cricket/core';
import { z } from 'zod';
import type { ProviderErrorCode } from '../shared/provider-error.js';
import type { StopReason } from '../shared/stop-reason.js';
import type { NormalizedEvent } from './normalize-events.js';

// The one conversation every provider's transcripts must encode. A provider's fixtures are wrong
// (not the engine) if they do not produce exactly these texts, calls and stop reasons.

/** Assistant text of the text-only, reasoning and (as a prefix) truncated and cancelled scenarios. */
export const conformanceText = 'Hello! How can I help you today?';
/** Thinking text of the reasoning scenario. */
export const conformanceThinking = 'The user said hello, so I should greet them back and offer help.';
/** What the truncated transcript delivers before its cut (mid-event, right after this text). */
export const conformanceTruncatedText = 'Hello! How can';
/** The tool every tool scenario advertises. */
export const conformanceToolName = 'get_weather';
/** Parsed arguments of the single call, and of the two parallel calls in order. */
export const conformanceToolArgs = {
  paris: { city: 'Paris' },
  tokyo: { city: 'Tokyo' },
} as const;
/** Provider-error scenario: the engine must fail with this code (and the fixture's HTTP status). */
export const conformanceProviderErrorCode: ProviderErrorCode = 'http-error';
/** Truncated scenario: the engine must fail with this code, never hang. */
export const conformanceTruncatedErrorCode: ProviderErrorCode = 'stream-truncated';

/** Names of the scenarios, in the order the suite runs them. */
export const conformanceScenarioNames = [
  'text-only',
  'tool-call',
  'parallel-tool-calls',
  'reasoning',
  'provider-error',
  'truncated-stream',
  'cancellation',
] as const;
/** One of {@link conformanceScenarioNames}. */
export type ConformanceScenarioName = (typeof conformanceScenarioNames)[number];

/** A block as the suite compares it: kind, text, or tool name and parsed arguments. */
export type ExpectedBlock =
  | { kind: 'reasoning'; text: string }
  | { kind: 'llm_text'; text: string }
  | { kind: 'tool_call'; name: string; args: unknown };

/** How a scenario ends. */
export type ScenarioOutcome = 'success' | 'provider-error' | 'truncated' | 'cancelled';

/** One row of the scenario table. */
export interface ConformanceScenario {
  name: ConformanceScenarioName;
  description: string;
  /** The user prompt (after the system prompt {@link conformanceSystemPrompt}). */
  prompt: string;
  /** Whether the weather tool is advertised. */
  withTools: boolean;
  outcome: ScenarioOutcome;
  /**
   * The normalised event sequence (see `normalizeEvents`). For `cancelled` the texts are a
   * placeholder: the suite checks the partial text structurally (non-empty strict prefix).
   */
  events: readonly NormalizedEvent[];
  /** Blocks appended to the turn, in order (same placeholder rule for `cancelled`). */
  blocks: readonly ExpectedBlock[];
  /** Normalised stop reason on `final` and the turn (success scenarios). */
  stopReason?: StopReason;
}

/** System prompt of every scenario. */
export const conformanceSystemPrompt = 'You are a helpful assistant.';

const greeting = 'Hello!';
const paris = { kind: 'tool_call', name: conformanceToolName, args: conformanceToolArgs.paris } as const;
const tokyo = { kind: 'tool_call', name: conformanceToolName, args: conformanceToolArgs.tokyo } as const;

/** The scenario table: the expected normalised outcome of each scenario, for every provider. */
export const conformanceScenarios: Readonly<Record<ConformanceScenarioName, ConformanceScenario>> = {
  'text-only': {
    name: 'text-only',
    description: 'plain streamed text',
    prompt: greeting,
    withTools: false,
    outcome: 'success',
    events: [{ type: 'start' }, { type: 'text', text: conformanceText }, { type: 'final', text: conformanceText }],
    blocks: [{ kind: 'llm_text', text: conformanceText }],
    stopReason: 'stop',
  },
  'tool-call': {
    name: 'tool-call',
    description: 'one tool call, arguments split over several chunks, no text',
    prompt: "What's the weather in Paris?",
    withTools: true,
    outcome: 'success',
    events: [
      { type: 'start' },
      { type: 'tool-call', name: conformanceToolName, args: conformanceToolArgs.paris },
      { type: 'final', text: '' },
    ],
    blocks: [paris],
    stopReason: 'tool_calls',
  },
  'parallel-tool-calls': {
    name: 'parallel-tool-calls',
    description: 'two tool calls in one message, arguments split over many chunks, emitted in order',
    prompt: "What's the weather in Paris and in Tokyo?",
    withTools: true,
    outcome: 'success',
    events: [
      { type: 'start' },
      { type: 'tool-call', name: conformanceToolName, args: conformanceToolArgs.paris },
      { type: 'tool-call', name: conformanceToolName, args: conformanceToolArgs.tokyo },
      { type: 'final', text: '' },
    ],
    blocks: [paris, tokyo],
    stopReason: 'tool_calls',
  },
  reasoning: {
    name: 'reasoning',
    description: 'visible thinking streamed before the text',
    prompt: greeting,
    withTools: false,
    outcome: 'success',
    events: [
      { type: 'start' },
      { type: 'thinking', text: conformanceThinking },
      { type: 'text', text: conformanceText },
      { type: 'final', text: conformanceText },
    ],
    blocks: [
      { kind: 'reasoning', text: conformanceThinking },
      { kind: 'llm_text', text: conformanceText },
    ],
    stopReason: 'stop',
  },
  'provider-error': {
    name: 'provider-error',
    description: 'HTTP error status with the provider error body: typed error, error event, nothing appended',
    prompt: greeting,
    withTools: false,
    outcome: 'provider-error',
    events: [{ type: 'error', code: conformanceProviderErrorCode }],
    blocks: [],
  },
  'truncated-stream': {
    name: 'truncated-stream',
    description: 'connection dropped mid-event: typed error and error event promptly, partial text kept',
    prompt: greeting,
    withTools: false,
    outcome: 'truncated',
    events: [
      { type: 'start' },
      { type: 'text', text: conformanceTruncatedText },
      { type: 'error', code: conformanceTruncatedErrorCode },
    ],
    blocks: [{ kind: 'llm_text', text: conformanceTruncatedText }],
  },
  cancellation: {
    name: 'cancellation',
    description: 'aborted at the first text delta: interrupt with the partial text, connection closed',
    prompt: greeting,
    withTools: false,
    outcome: 'cancelled',
    events: [{ type: 'start' }, { type: 'text', text: '<partial>' }, { type: 'interrupt', text: '<partial>' }],
    blocks: [{ kind: 'llm_text', text: '<partial>' }],
  },
};

/** The weather tool advertised by the tool scenarios (never executed by the suite). */
export const conformanceWeatherTool: ToolDefinition = defineTool({
  name: conformanceToolName,
  description: 'Get the current weather for a city.',
  input: z.object({ city: z.string().describe('The city name, e.g. Paris') }),
  execute: ({ city }) => ({ city, forecast: 'sunny', temperature_c: 21 }),
});

/** The input turn of a scenario: the system prompt and the scenario's user prompt. */
export function conformanceTurn(scenario: ConformanceScenario): Turn {
  return createTurn({
    id: `turn-${scenario.name}`,
    blocks: [systemBlock(conformanceSystemPrompt), userBlock(scenario.prompt)],
  });
}
