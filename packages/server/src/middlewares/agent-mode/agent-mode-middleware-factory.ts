import { ConfigurationError } from '@cricket/core';
import type { MiddlewareContext, MiddlewareFactory } from '../../profiles/profile.js';
import { type AgentModeCatalog, parseAgentModeConfig } from './agent-mode-config.js';
import { agentModeMiddleware } from './agent-mode-middleware.js';
import type { AgentModeStore } from './agent-mode-store.js';

/** Name under which profiles refer to the agent-mode middleware. */
export const agentModeMiddlewareName = 'agentmode';

/** Key of `Profile.extensions` that holds the agent-mode configuration. */
export const agentModesExtensionKey = 'agent_modes';

/** Options of {@link createAgentModeMiddlewareFactory}. */
export interface AgentModeMiddlewareFactoryOptions {
  /** Clock of recorded changes (default `Date.now`). */
  now?: () => number;
}

/**
 * The `agentmode` middleware factory for the chat server. Its configuration (`{modes, default_mode}`,
 * see `agentModeConfigSchema`) comes from the middleware entry's `config` when that is not empty,
 * else from the profile's `extensions.agent_modes`. Invalid or missing configuration throws a
 * `ConfigurationError` naming the profile (the inference then fails with that message). Parsed
 * configurations are cached per configuration object, so a profile's modes are validated once.
 *
 * Every conversation of every profile shares `store` (mode changes are keyed by session id).
 */
export function createAgentModeMiddlewareFactory(
  store: AgentModeStore,
  options: AgentModeMiddlewareFactoryOptions = {},
): MiddlewareFactory {
  const cache = new WeakMap<object, AgentModeCatalog>();
  return (config, context) => {
    const { value, source } = configurationOf(config, context);
    let catalog = cache.get(value);
    if (!catalog) {
      catalog = parseAgentModeConfig(value, source);
      cache.set(value, catalog);
    }
    return agentModeMiddleware({ catalog, store, ...(options.now ? { now: options.now } : {}) });
  };
}

function configurationOf(
  config: Record<string, unknown>,
  context: MiddlewareContext,
): { value: object; source: string } {
  const profile = `profile ${JSON.stringify(context.profile.slug)}`;
  if (Object.keys(config).length > 0)
    return { value: config, source: `${profile}: middleware ${agentModeMiddlewareName} config` };
  const extension = context.profile.extensions?.[agentModesExtensionKey];
  if (extension === undefined) {
    throw new ConfigurationError(
      `${profile}: middleware ${agentModeMiddlewareName} has no modes: set extensions.${agentModesExtensionKey} ({modes, default_mode}) or the middleware's config`,
    );
  }
  if (typeof extension !== 'object' || extension === null || Array.isArray(extension)) {
    throw new ConfigurationError(
      `${profile}: extensions.${agentModesExtensionKey} must be a mapping with modes and default_mode`,
    );
  }
  return { value: extension, source: `${profile}: extensions.${agentModesExtensionKey}` };
}
