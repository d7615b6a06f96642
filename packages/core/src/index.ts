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
export * from './errors/index.js';
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
  createProgressiveYamlParser,
  defaultMaxCaptureBytes,
  type Extractor,
  type ExtractorSession,
  type ExtractorSessionInit,
  emptyPayloadError,
  extractorFailedCode,
  FilteringSink,
  type FilteringSinkOptions,
  formatCloseTag,
  formatOpenTag,
  interruptedBlockError,
  type MalformedPolicy,
  malformedBlockError,
  type ProgressiveYamlOptions,
  type ProgressiveYamlParser,
  type ProgressiveYamlResult,
  parseYamlPayload,
  payloadTooLargeError,
  type StrippedCodeFence,
  StructuredConfigError,
  type StructuredConfigErrorCode,
  type StructuredTag,
  stripCodeFence,
} from './events/structured/index.js';
export {
  blockIdSet,
  blocksAddedSince,
  compose,
  type InferenceHandler,
  type Middleware,
} from './middleware/middleware.js';
export { systemPromptMiddleware } from './middleware/system-prompt-middleware.js';
export { reorderToolResults, toolResultReorderMiddleware } from './middleware/tool-result-reorder-middleware.js';
export {
  countBlockKinds,
  type TurnLogger,
  type TurnLogRecord,
  turnLoggingMiddleware,
} from './middleware/turn-logging-middleware.js';
export { type DemoInput, demoStep, findArithmetic } from './scripted-engine/demo-rules.js';
export {
  parseScript,
  parseScriptYaml,
  type Script,
  type ScriptRule,
  type ScriptStep,
  scriptSchema,
} from './scripted-engine/script.js';
export { ScriptedEngine, type ScriptedEngineOptions, splitChunks } from './scripted-engine/scripted-engine.js';
export { InferenceHandle } from './session/inference-handle.js';
export { Session, type SessionOptions, type StartInferenceOptions } from './session/session.js';
export { cancelledError, raceAbort, sleep, throwIfAborted } from './shared/abort.js';
export { durationSchema, formatDuration, parseDuration } from './shared/duration.js';
export {
  createEngineBuilder,
  type EngineBuilder,
  type EngineBuilderOptions,
  type InferenceRequest,
  type InferenceRunner,
  type TurnPersister,
} from './tool-loop/engine-builder.js';
export { createSnapshotter, type Snapshotter } from './tool-loop/snapshotter.js';
export { type PausePhase, StepController, type StepPause } from './tool-loop/step-controller.js';
export { defaultMaxIterations, runToolLoop, type ToolLoopOptions } from './tool-loop/tool-loop.js';
export {
  builtinTools,
  type CalculatorArgs,
  type CalculatorResult,
  type CurrentTimeArgs,
  type CurrentTimeResult,
  calculatorTool,
  createCurrentTimeTool,
  currentTimeTool,
  evaluateExpression,
} from './tools/builtin/index.js';
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
export {
  executeToolCalls,
  isToolAllowed,
  type ToolBatchResult,
  type ToolCallOutcome,
  type ToolExecutorOptions,
} from './tools/tool-executor.js';
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
