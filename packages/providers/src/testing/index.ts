// Test helpers of @cricket/providers (`@cricket/providers/testing`): a replay server for recorded
// provider transcripts, fixture loading and a recording inference context. Never used in production.

export { fixtureContentType, fixtureResponse, readFixture } from './fixture-files.js';
export type { GeneratedBody, ReplayEnding, ReplayResponse } from './replay-response.js';
export {
  type RecordedRequest,
  type ReplayOutcome,
  type ReplayRoute,
  type ReplayServer,
  type ReplayServerOptions,
  startReplayServer,
} from './replay-server.js';
export { type ChunkSizeRange, createSeededRandom, defaultChunkSizes, splitIntoChunks } from './seeded-chunks.js';
export {
  createTestInferenceContext,
  type TestInferenceContext,
  type TestInferenceContextOptions,
} from './test-inference-context.js';
