import type { Block, Engine, Turn } from '@cricket/core';
import { describe, it } from 'vitest';
import { fixtureResponse } from '../testing/fixture-files.js';
import type { ReplayResponse } from '../testing/replay-response.js';
import { startReplayServer } from '../testing/replay-server.js';
import type { ChunkSizeRange } from '../testing/seeded-chunks.js';
import { createTestInferenceContext } from '../testing/test-inference-context.js';
import {
  assertCancelled,
  assertEventInvariants,
  assertProviderError,
  assertSuccess,
  assertTruncated,
  type FixtureExpectations,
  type ScenarioExecution,
} from './conformance-assertions.js';
import {
  type ConformanceScenario,
  type ConformanceScenarioName,
  conformanceScenarioNames,
  conformanceScenarios,
  conformanceTurn,
  conformanceWeatherTool,
} from './conformance-scenarios.js';
import { normalizeEvents } from './normalize-events.js';

/** A provider's transcript for one scenario, plus what it declares about itself. */
export interface ConformanceFixture extends FixtureExpectations {
  /** The raw response body file (`.sse`, `.ndjson`, `.json`), served byte for byte. */
  file: string | URL;
  /** Further response settings (headers, cut position, ...), applied last. */
  response?: Partial<ReplayResponse>;
}

/** Settings the suite needs the engine to use: no retries, a short idle timeout. */
export interface ConformanceEngineTuning {
  maxRetries: 0;
  idleTimeoutMs: number;
  /** Retry delay for engines that retry anyway (kept tiny). */
  retryBaseDelayMs: number;
}

/** Options of {@link runConformanceSuite}. */
export interface ConformanceSuiteOptions {
  /** Suite title, usually the provider id. */
  name: string;
  /**
   * Builds the engine under test against the replay server's root URL (`http://127.0.0.1:port`,
   * no path: append `/v1` or similar yourself), honouring `tuning`.
   */
  createEngine: (baseUrl: string, tuning: ConformanceEngineTuning) => Engine;
  /** One transcript per scenario. */
  fixtures: Readonly<Record<ConformanceScenarioName, ConformanceFixture>>;
  /** Chunking seeds, one test each per scenario (default three). */
  seeds?: readonly number[];
  /** Provider-specific assertions per scenario, run after the common ones (e.g. request shape). */
  extras?: Partial<Record<ConformanceScenarioName, (execution: ScenarioExecution) => void | Promise<void>>>;
}

/** Default seeds: each scenario runs once per seed. */
export const defaultConformanceSeeds: readonly number[] = [11, 23, 47];

// Chunk sizes rotate with the seed's position, so every scenario is seen byte-by-byte-ish, at
// typical network sizes, and with several events per chunk.
const chunkings: readonly ChunkSizeRange[] = [
  { min: 1, max: 8 },
  { min: 1, max: 96 },
  { min: 64, max: 2048 },
];

const tuning: ConformanceEngineTuning = { maxRetries: 0, idleTimeoutMs: 3_000, retryBaseDelayMs: 1 };

/**
 * Registers the provider conformance suite with vitest: for every scenario of the table
 * (`conformanceScenarios`) and every seed, it replays the provider's transcript through a local
 * HTTP server with seeded random chunk boundaries, runs the engine, and asserts the normalised
 * event sequence, the appended blocks (already on the turn when `final` is published), usage /
 * stop reason / model / duration and a well-formed `meta.extra` on `final`, that every event
 * matches the core event schema, typed errors, and for cancellation that the HTTP request was
 * closed. Call it at the top level of a `*.test.ts` file.
 */
export function runConformanceSuite(options: ConformanceSuiteOptions): void {
  const seeds = options.seeds ?? defaultConformanceSeeds;
  describe(`${options.name} conformance`, () => {
    for (const name of conformanceScenarioNames) {
      const scenario = conformanceScenarios[name];
      describe(`${name}: ${scenario.description}`, () => {
        seeds.forEach((seed, position) => {
          const sizes = chunkings[position % chunkings.length] ?? { min: 1, max: 64 };
          it(`seed ${seed}, chunks of ${sizes.min}-${sizes.max} bytes`, async () => {
            const execution = await runScenario(options, scenario, seed, sizes);
            await assertScenario(execution, options.fixtures[name]);
            await options.extras?.[name]?.(execution);
          });
        });
      });
    }
  });
}

async function runScenario(
  options: ConformanceSuiteOptions,
  scenario: ConformanceScenario,
  seed: number,
  sizes: ChunkSizeRange,
): Promise<ScenarioExecution> {
  const fixture = options.fixtures[scenario.name];
  const server = await startReplayServer({ transcript: scenarioResponse(scenario, fixture), seed, chunkSizes: sizes });
  try {
    const engine = options.createEngine(server.url, tuning);
    const turn = conformanceTurn(scenario);
    const blocksBefore = turn.blocks.length;
    let blocksAtFinal: Block[] | undefined;
    const { context, sink } = createTestInferenceContext({
      tools: scenario.withTools ? [conformanceWeatherTool] : [],
      onEvent: (event, controller) => {
        // Cancellation: abort synchronously inside the first text delta's publish.
        if (scenario.outcome === 'cancelled' && event.type === 'partial') controller.abort();
        // What a sink reading the turn while handling `final` sees.
        if (event.type === 'final') blocksAtFinal = turn.blocks.slice(blocksBefore);
      },
    });
    let result: Turn | undefined;
    let error: unknown;
    try {
      result = await engine.infer(turn, context);
    } catch (caught) {
      error = caught;
    }
    const execution: ScenarioExecution = {
      scenario,
      seed,
      engine,
      context,
      turn,
      blocksBefore,
      events: sink.events,
      normalized: normalizeEvents(sink.events),
      requests: server.requests,
      ...(blocksAtFinal ? { blocksAtFinal } : {}),
      ...(result ? { result } : {}),
      ...(error === undefined ? {} : { error }),
    };
    if (scenario.outcome === 'cancelled') await assertCancelled(execution);
    return execution;
  } finally {
    await server.close();
  }
}

function scenarioResponse(scenario: ConformanceScenario, fixture: ConformanceFixture): ReplayResponse {
  const base: Partial<ReplayResponse> = {
    ...(fixture.status === undefined ? {} : { status: fixture.status }),
  };
  // The truncated transcript ends mid-event and the socket dies, as when a provider crashes.
  if (scenario.outcome === 'truncated') base.ending = 'destroy';
  // Cancellation: the response never ends on its own, so only the client's abort can close it,
  // and a slow trickle keeps the rest of the text from arriving before the abort.
  if (scenario.outcome === 'cancelled') {
    base.ending = 'stall';
    base.chunkDelayMs = 2;
  }
  return fixtureResponse(fixture.file, { ...base, ...fixture.response });
}

async function assertScenario(execution: ScenarioExecution, fixture: ConformanceFixture): Promise<void> {
  assertEventInvariants(execution);
  switch (execution.scenario.outcome) {
    case 'success':
      assertSuccess(execution, fixture);
      break;
    case 'provider-error':
      assertProviderError(execution, fixture);
      break;
    case 'truncated':
      assertTruncated(execution);
      break;
    case 'cancelled':
      // Checked inside runScenario, while the server is still up to report the closed connection.
      break;
  }
}
