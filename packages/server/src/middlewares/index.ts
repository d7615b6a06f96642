// Cricket's server middlewares: agent mode and the SQL tool. Explicit exports only.
export {
  type AgentMode,
  AgentModeCatalog,
  type AgentModeChange,
  type AgentModeConfig,
  type AgentModeConfigInput,
  type AgentModeMiddlewareFactoryOptions,
  type AgentModeMiddlewareOptions,
  type AgentModeStore,
  agentModeConfigSchema,
  agentModeMiddleware,
  agentModeMiddlewareName,
  agentModesExtensionKey,
  createAgentModeMiddlewareFactory,
  InMemoryAgentModeStore,
  parseAgentModeConfig,
  SqliteAgentModeStore,
  type StoredAgentModeChange,
} from './agent-mode/index.js';
export {
  createSqlToolMiddlewareFactory,
  defaultSqlToolLimits,
  type SqlToolLimits,
  type SqlToolMiddlewareFactory,
  type SqlToolOptions,
  sqlQueryToolName,
  sqlToolMiddlewareName,
} from './sql-tool/index.js';
export { contributedTools, type ToolContributingMiddleware } from './tool-contributing-middleware.js';
