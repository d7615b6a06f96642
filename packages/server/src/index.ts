// Public surface of @cricket/server. Explicit exports only.

export type { ChatOutcome, ChatSubmission } from './conversations/chat-submission.js';
export { ConversationManager, type EvictionOptions } from './conversations/conversation-manager.js';
export { ConversationRuntime } from './conversations/conversation-runtime.js';
export type { ConversationLimits, ServerLogger, ServerServices } from './conversations/server-services.js';
export { type ChatServer, type ChatServerOptions, createChatServer } from './create-chat-server.js';
export { createJsonLogger, type LogLevel } from './logger.js';
export {
  type AgentModeStore,
  contributedTools,
  createAgentModeMiddlewareFactory,
  createSqlToolMiddlewareFactory,
  InMemoryAgentModeStore,
  SqliteAgentModeStore,
  type SqlToolMiddlewareFactory,
} from './middlewares/index.js';
export type {
  EngineFactory,
  MiddlewareContext,
  MiddlewareFactory,
  MiddlewareSpec,
  Profile,
  ProfileRegistry,
  ToolCatalog,
} from './profiles/profile.js';
export { EventTranslator, type UnsequencedSemEvent } from './streaming/event-translator.js';
export { type FrameCorrelation, FramePipeline, type FramePipelineOptions } from './streaming/frame-pipeline.js';
export { ConnectionHub, type ConnectionHubOptions } from './ws/connection-hub.js';
