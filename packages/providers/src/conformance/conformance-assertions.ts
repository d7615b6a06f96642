import {
  type Block,
  type Engine,
  type InferenceContext,
  type InferenceEvent,
  inferenceEventSchema,
  isCancellation,
  modelKey,
  providerKey,
  stopReasonKey,
  type Turn,
  usageKey,
} from '@cricket/core';
import { expect } from 'vitest';
import { isProviderError } from '../shared/provider-error.js';
import type { RecordedRequest } from '../testing/replay-server.js';
import { type ConformanceScenario, conformanceText, type ExpectedBlock } from './conformance-scenarios.js';
import type { NormalizedEvent } from './normalize-events.js';

/** Everything one scenario execution produced, handed to the assertions and to a provider's extras. */
export interface ScenarioExecution {
  scenario: ConformanceScenario;
  seed: number;
  engine: Engine;
  context: InferenceContext;
  /** The input turn, after the engine appended to it. */
  turn: Turn;
  /** Number of blocks the turn had before the call. */
  blocksBefore: number;
  /** The blocks the engine had appended when `final` was published (absent without `final`). */
  blocksAtFinal?: readonly Block[];
  events: readonly InferenceEvent[];
  normalized: NormalizedEvent[];
  /** What `infer` resolved to, when it resolved. */
  result?: Turn;
  /** What `infer` rejected with, when it rejected. */
  error?: unknown;
  requests: readonly RecordedRequest[];
}

/** What a provider's fixture declares about itself, checked when given. */
export interface FixtureExpectations {
  /** HTTP status to serve the fixture with (default 200; required for `provider-error`). */
  status?: number;
  /** The model the transcript reports; asserted on `final` and the turn when given. */
  model?: string;
  /** Exact usage the engine must report (success scenarios), when given. */
  usage?: Record<string, number>;
  /** `provider-error`: text of the provider's message that the error message must contain. */
  errorMessage?: string;
}

/** The blocks the engine appended, in the comparable {@link ExpectedBlock} form. */
export function appendedBlocks(execution: ScenarioExecution): ExpectedBlock[] {
  return execution.turn.blocks.slice(execution.blocksBefore).map(comparableBlock);
}

function comparableBlock(block: Block): ExpectedBlock {
  switch (block.kind) {
    case 'reasoning':
      return { kind: 'reasoning', text: block.payload.text ?? '' };
    case 'llm_text':
      return { kind: 'llm_text', text: block.payload.text };
    case 'tool_call':
      return { kind: 'tool_call', name: block.payload.name, args: block.payload.args };
    default:
      throw new Error(`engine appended an unexpected ${block.kind} block`);
  }
}

/** Invariants every execution must satisfy, whatever the scenario. */
export function assertEventInvariants(execution: ScenarioExecution): void {
  const { events, context, turn } = execution;
  expect(events.length, 'at least one event').toBeGreaterThan(0);
  const messageIds = new Set(events.map((event) => event.meta.message_id));
  expect(messageIds.size, 'one message_id per engine call').toBe(1);
  for (const event of events) {
    expect(event.meta.session_id).toBe(context.sessionId);
    expect(event.meta.inference_id).toBe(context.inferenceId);
    expect(event.meta.turn_id).toBe(turn.id);
  }
  for (const event of events) {
    // Provider extras (`meta.extra`, log fields) must not break the event contract or its storage.
    const parsed = inferenceEventSchema.safeParse(event);
    expect(parsed.success, `${event.type} event matches the core schema: ${parsed.error?.message ?? ''}`).toBe(true);
    expect(JSON.parse(JSON.stringify(event)), `${event.type} event survives JSON`).toEqual(event);
  }
  let text = '';
  let thinking = '';
  for (const event of events) {
    if (event.type === 'partial') {
      expect(event.delta, 'partial deltas are never empty').not.toBe('');
      text += event.delta;
      expect(event.completion, 'partial completion = accumulated text').toBe(text);
    } else if (event.type === 'partial-thinking') {
      thinking += event.delta;
      expect(event.completion, 'thinking completion = accumulated thinking').toBe(thinking);
    }
  }
  const terminal = events.filter((event) => ['final', 'error', 'interrupt'].includes(event.type));
  expect(terminal.length, 'exactly one final / error / interrupt').toBe(1);
  expect(events.at(-1)?.type, 'the terminal event comes last').toBe(terminal[0]?.type);
}

/** Assertions of a scenario that completes. */
export function assertSuccess(execution: ScenarioExecution, fixture: FixtureExpectations): void {
  const { scenario, turn, events } = execution;
  expect(execution.error, 'infer resolved').toBeUndefined();
  expect(execution.result, 'infer returns the same turn object').toBe(turn);
  expect(execution.normalized).toEqual(scenario.events);
  expect(appendedBlocks(execution)).toEqual(scenario.blocks);
  const final = events.at(-1);
  if (final?.type !== 'final') throw new Error('no final event');
  const usage = final.meta.usage;
  expect(usage, 'final carries usage').toBeDefined();
  expect(typeof usage?.input_tokens).toBe('number');
  expect(typeof usage?.output_tokens).toBe('number');
  for (const [field, value] of Object.entries(usage ?? {})) {
    expect(Number.isInteger(value) && value >= 0, `usage.${field} is a token count`).toBe(true);
  }
  if (fixture.usage) expect(usage).toEqual(fixture.usage);
  expect(final.meta.stop_reason).toBe(scenario.stopReason);
  expect(typeof final.meta.duration_ms).toBe('number');
  expect(final.meta.model, 'final names the model').toBeTruthy();
  if (fixture.model) expect(final.meta.model).toBe(fixture.model);
  expect(turn.metadata.get(providerKey)).toBe(execution.engine.info.provider);
  expect(turn.metadata.get(modelKey)).toBe(final.meta.model);
  expect(turn.metadata.get(stopReasonKey)).toBe(scenario.stopReason);
  expect(turn.metadata.get(usageKey)).toEqual(usage);
  // Blocks are appended before `final`, in their final order: a sink reading the turn then sees them.
  expect(execution.blocksAtFinal?.map(comparableBlock), 'blocks on the turn at final').toEqual(scenario.blocks);
  expect(execution.blocksAtFinal).toEqual(turn.blocks.slice(execution.blocksBefore));
  // Provider extras, when present, are a plain JSON object beside the normalised fields.
  const extra = final.meta.extra;
  if (extra !== undefined) {
    expect(Object.getPrototypeOf(extra), 'meta.extra is a plain object').toBe(Object.prototype);
    expect(Object.keys(extra).length, 'an empty meta.extra is omitted').toBeGreaterThan(0);
  }
  // Tool calls: real, unique ids shared by the block, its payload and its event.
  const callBlocks = turn.blocks.slice(execution.blocksBefore).filter((block) => block.kind === 'tool_call');
  const callEvents = events.filter((event) => event.type === 'tool-call');
  expect(callEvents.map((event) => event.tool_call.id)).toEqual(callBlocks.map((block) => block.id));
  for (const block of callBlocks) {
    expect(block.id).toBeTruthy();
    expect(block.payload.id).toBe(block.id);
  }
  expect(new Set(callBlocks.map((block) => block.id)).size).toBe(callBlocks.length);
  expect(execution.requests.length, 'one request, no retry').toBe(1);
}

/** Assertions of the provider-error scenario. */
export function assertProviderError(execution: ScenarioExecution, fixture: FixtureExpectations): void {
  const { error, events, scenario } = execution;
  expect(execution.normalized).toEqual(scenario.events);
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  expect(error.code).toBe('http-error');
  expect(error.blame).toBe('provider');
  expect(error.status).toBe(fixture.status);
  expect(error.body, 'the provider error body is kept').toBeTruthy();
  if (fixture.errorMessage) expect(error.message).toContain(fixture.errorMessage);
  const event = events.at(-1);
  if (event?.type !== 'error') throw new Error('no error event');
  expect(event.error_string).toBe(error.message);
  expect(event.blame).toBe('provider');
  expect(appendedBlocks(execution)).toEqual([]);
  expect(execution.requests.length, 'maxRetries 0: one request').toBe(1);
}

/** Assertions of the truncated-stream scenario. */
export function assertTruncated(execution: ScenarioExecution): void {
  const { error, events, scenario } = execution;
  expect(execution.normalized).toEqual(scenario.events);
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  expect(error.code).toBe('stream-truncated');
  const event = events.at(-1);
  if (event?.type !== 'error') throw new Error('no error event');
  expect(event.code).toBe('stream-truncated');
  expect(appendedBlocks(execution)).toEqual(scenario.blocks);
}

/** Assertions of the cancellation scenario (the partial text depends on where the abort landed). */
export async function assertCancelled(execution: ScenarioExecution): Promise<void> {
  const { error, normalized } = execution;
  expect(isCancellation(error), `expected a cancellation, got ${String(error)}`).toBe(true);
  expect(normalized.map((entry) => entry.type)).toEqual(['start', 'text', 'interrupt']);
  const partial = normalized[1]?.type === 'text' ? normalized[1].text : '';
  expect(partial).not.toBe('');
  expect(conformanceText.startsWith(partial), `"${partial}" is a prefix of the full text`).toBe(true);
  expect(partial.length).toBeLessThan(conformanceText.length);
  expect(normalized[2]).toEqual({ type: 'interrupt', text: partial });
  expect(appendedBlocks(execution)).toEqual([{ kind: 'llm_text', text: partial }]);
  const request = execution.requests[0];
  if (!request) throw new Error('the server saw no request');
  expect(await withTimeout(request.outcome, 5_000), 'the HTTP request was closed by the client').toBe('client-closed');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
