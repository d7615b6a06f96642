// Public surface of @cricket/core. Every export is listed explicitly; test doubles live in ./testing.

export type { Engine, EngineInfo } from './engine/engine.js';
export {
  eventMetadataFor,
  type InferenceContext,
  publishEvent,
  type SnapshotHook,
  type SnapshotPhase,
} from './engine/inference-context.js';
export { addUsage, type Usage, usageSchema } from './engine/usage.js';
export type { Blame, CricketErrorOptions } from './errors/cricket-error.js';
export { CricketError, errorMessage, isCricketError } from './errors/cricket-error.js';
export { EventDecodeError } from './errors/event-decode-error.js';
export { InferenceError, type InferenceErrorCode, isCancellation } from './errors/inference-error.js';
export { SessionError, type SessionErrorCode } from './errors/session-error.js';
export { ToolError, type ToolErrorCode } from './errors/tool-error.js';
export { TurnError, type TurnErrorCode } from './errors/turn-error.js';
export { decodeEvent, encodeEvent } from './events/event-codec.js';
export { type EventMetadata, eventMetadataSchema } from './events/event-metadata.js';
export {
  type EventSink,
  FanOutSink,
  RecordingSink,
  type SinkErrorHandler,
  sinkFrom,
  warnOnSinkError,
} from './events/event-sink.js';
export {
  type InferenceEvent,
  type InferenceEventOf,
  type InferenceEventType,
  inferenceEventSchema,
} from './events/inference-event.js';
export {
  blockIdSet,
  blocksAddedSince,
  compose,
  type InferenceHandler,
  type Middleware,
} from './middleware/middleware.js';
export { durationSchema, formatDuration, parseDuration } from './shared/duration.js';
export {
  createToolConfig,
  defaultToolConfig,
  encodeToolConfig,
  type RetryConfig,
  type ToolConfig,
  type ToolErrorHandling,
  toolConfigSchema,
} from './tools/tool-config.js';
export {
  type DefineToolOptions,
  defineTool,
  type JsonSchema,
  type ToolDefinition,
  type ToolExample,
  type ToolExecutionContext,
} from './tools/tool-definition.js';
export { ToolRegistry } from './tools/tool-registry.js';
export type {
  Block,
  BlockKind,
  BlockOfKind,
  BlockOptions,
  BlockPayloads,
  ImageRef,
  LlmTextBlock,
  OtherBlock,
  ReasoningBlock,
  Role,
  SystemBlock,
  ToolCallBlock,
  ToolUseBlock,
  UserBlock,
} from './turns/block.js';
export {
  blockKinds,
  cloneBlock,
  isBlockKind,
  isBlockOfKind,
  llmTextBlock,
  otherBlock,
  reasoningBlock,
  systemBlock,
  toolCallBlock,
  toolUseBlock,
  userBlock,
} from './turns/block.js';
export { assertJsonSerializable, type JsonValue } from './turns/json-value.js';
export {
  appendToolResults,
  normalizeToolArguments,
  type PendingToolCall,
  pendingToolCalls,
  type ToolResultEntry,
} from './turns/tool-blocks.js';
export {
  appendBlocks,
  cloneTurn,
  createTurn,
  filterBlocks,
  insertBlockBeforeLast,
  lastBlockOfKind,
  prependBlock,
  type Turn,
  TurnBuilder,
} from './turns/turn.js';
export {
  loadTurnYaml,
  saveTurnYaml,
  type TurnYamlOptions,
  turnFromPlain,
  turnFromYaml,
  turnToPlain,
  turnToYaml,
  turnYamlVersion,
} from './turns/turn-yaml.js';
export {
  type BlockMetaKey,
  blockMetaKey,
  type DataKey,
  dataKey,
  formatKeyId,
  type KeyOptions,
  type KeyScope,
  parseKeyId,
  type TurnMetaKey,
  type TypedKey,
  turnMetaKey,
} from './turns/typed-key.js';
export {
  type BlockMetadata,
  createBlockMetadata,
  createTurnData,
  createTurnMetadata,
  type TurnData,
  type TurnMetadata,
  TypedStore,
} from './turns/typed-store.js';
export {
  agentModeAllowedToolsKey,
  agentModeBlockKey,
  agentModeKey,
  agentModeTagKey,
  builtinKeyNamespace,
  claudeOriginalContentKey,
  inferenceIdKey,
  middlewareKey,
  modelKey,
  providerKey,
  responsesServerToolsKey,
  runtimeKey,
  sessionIdKey,
  stopReasonKey,
  toolCallsKey,
  toolConfigKey,
  traceIdKey,
  usageKey,
} from './turns/well-known-keys.js';
