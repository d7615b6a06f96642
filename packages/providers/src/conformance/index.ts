// The provider conformance suite (test-only: it registers vitest tests). Each provider wires it in
// its own `<provider>/<provider>-engine.conformance.test.ts`.

export {
  appendedBlocks,
  assertEventInvariants,
  type FixtureExpectations,
  type ScenarioExecution,
} from './conformance-assertions.js';
export {
  type ConformanceScenario,
  type ConformanceScenarioName,
  conformanceProviderErrorCode,
  conformanceScenarioNames,
  conformanceScenarios,
  conformanceSystemPrompt,
  conformanceText,
  conformanceThinking,
  conformanceToolArgs,
  conformanceToolName,
  conformanceTruncatedErrorCode,
  conformanceTruncatedText,
  conformanceTurn,
  conformanceWeatherTool,
  type ExpectedBlock,
  type ScenarioOutcome,
} from './conformance-scenarios.js';
export { type NormalizedEvent, normalizeEvents } from './normalize-events.js';
export {
  type BadInputEngineTuning,
  type BadInputRun,
  type BadInputRunOptions,
  type BadInputSuiteOptions,
  createBadInputRun,
  expectErrorEvent,
  expectProviderError,
  runBadInputSuite,
} from './run-bad-input-suite.js';
export {
  type ConformanceEngineTuning,
  type ConformanceFixture,
  type ConformanceSuiteOptions,
  defaultConformanceSeeds,
  runConformanceSuite,
} from './run-conformance-suite.js';
