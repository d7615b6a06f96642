// Test doubles and helpers for code built on @cricket/core.
export { RecordingSink } from '../events/event-sink.js';
export { ScriptedEngine, type ScriptedEngineOptions } from '../scripted-engine/scripted-engine.js';
export { createTestContext, type TestContextOptions } from './create-test-context.js';
