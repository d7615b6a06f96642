import { z } from 'zod';
import { usageSchema } from '../engine/usage.js';
import { encodeToolConfig, type ToolConfig, toolConfigSchema } from '../tools/tool-config.js';
import { blockMetaKey, dataKey, turnMetaKey } from './typed-key.js';

/**
 * The namespace of the built-in keys. It stays `geppetto` (the reference framework's) so that turn
 * snapshots persisted by the reference load with their correlation ids and settings intact.
 */
export const builtinKeyNamespace = 'geppetto';
const ns = builtinKeyNamespace;

/** Tool policy of the inference (`geppetto.tool_config@v1`), written by the tool loop. */
export const toolConfigKey = dataKey<ToolConfig>(ns, 'tool_config', 1, toolConfigSchema, { encode: encodeToolConfig });
/** The active agent mode's name. */
export const agentModeKey = dataKey(ns, 'agent_mode', 1, z.string());
/** Tools the active agent mode allows (advertised and executable). */
export const agentModeAllowedToolsKey = dataKey(ns, 'agent_mode_allowed_tools', 1, z.array(z.string()));
/** Provider-side tools (e.g. `{type: web_search}`) passed verbatim to the OpenAI Responses API. */
export const responsesServerToolsKey = dataKey(
  ns,
  'responses_server_tools',
  1,
  z.array(z.record(z.string(), z.unknown())),
);

/** The session this turn belongs to. */
export const sessionIdKey = turnMetaKey(ns, 'session_id', 1, z.string());
/** The inference that produced (or is producing) this turn. */
export const inferenceIdKey = turnMetaKey(ns, 'inference_id', 1, z.string());
/** Provider that answered (e.g. `openai-chat`). */
export const providerKey = turnMetaKey(ns, 'provider', 1, z.string());
/** Model that answered. */
export const modelKey = turnMetaKey(ns, 'model', 1, z.string());
/** Stop reason of the last engine call (`stop`, `tool_calls`, `max_tokens`, ...). */
export const stopReasonKey = turnMetaKey(ns, 'stop_reason', 1, z.string());
/** Token usage: engines write their call's usage; the tool loop replaces it with the sum over the inference. */
export const usageKey = turnMetaKey(ns, 'usage', 1, usageSchema);
/** Reserved for runtime information (free-form). */
export const runtimeKey = turnMetaKey(ns, 'runtime', 1, z.unknown());
/** Trace id for distributed tracing. */
export const traceIdKey = turnMetaKey(ns, 'trace_id', 1, z.string());

/** Which middleware created or last rewrote this block (e.g. `systemprompt`). */
export const middlewareKey = blockMetaKey(ns, 'middleware', 1, z.string());
/** A pre-built Anthropic content array that replaces the block's own mapping. */
export const claudeOriginalContentKey = blockMetaKey(ns, 'claude_original_content', 1, z.unknown());
/** Reserved: provider tool-call details. */
export const toolCallsKey = blockMetaKey(ns, 'tool_calls', 1, z.unknown());
/** Tag marking a block injected by the agent-mode middleware. */
export const agentModeTagKey = blockMetaKey(ns, 'agentmode_tag', 1, z.string());
/** The agent mode a block was injected for. */
export const agentModeBlockKey = blockMetaKey(ns, 'agentmode', 1, z.string());
