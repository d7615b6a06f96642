// The agent-mode middleware: modes with prompts and enforced tool lists, YAML mode switches, a store.
export {
  type AgentMode,
  AgentModeCatalog,
  type AgentModeConfig,
  type AgentModeConfigInput,
  agentModeConfigSchema,
  agentModeSchema,
  parseAgentModeConfig,
} from './agent-mode-config.js';
export { type AgentModeMiddlewareOptions, agentModeMiddleware } from './agent-mode-middleware.js';
export {
  type AgentModeMiddlewareFactoryOptions,
  agentModeMiddlewareName,
  agentModesExtensionKey,
  createAgentModeMiddlewareFactory,
} from './agent-mode-middleware-factory.js';
export {
  agentModeInjectionTags,
  agentModePromptText,
  agentModeUserPromptTag,
  isAgentModeInjection,
} from './agent-mode-prompt.js';
export {
  type AgentModeChange,
  type AgentModeStore,
  InMemoryAgentModeStore,
  newAgentModeChange,
  type StoredAgentModeChange,
} from './agent-mode-store.js';
export { detectModeSwitch, type ModeSwitchDetection, type ModeSwitchProposal } from './mode-switch-detection.js';
export { SqliteAgentModeStore } from './sqlite-agent-mode-store.js';
