import { randomUUID } from 'node:crypto';
import {
  agentModeAllowedToolsKey,
  agentModeKey,
  blockIdSet,
  blocksAddedSince,
  errorMessage,
  eventMetadataFor,
  type Middleware,
  sessionIdKey,
  systemBlock,
  type Turn,
} from '@cricket/core';
import type { AgentMode, AgentModeCatalog } from './agent-mode-config.js';
import { agentModePromptBlock, insertAgentModePrompt, removeAgentModeInjections } from './agent-mode-prompt.js';
import { type AgentModeStore, newAgentModeChange } from './agent-mode-store.js';
import { detectModeSwitch, type ModeSwitchProposal } from './mode-switch-detection.js';
import type { UnstampedEvent } from './unstamped-event.js';

/** Options of {@link agentModeMiddleware}. */
export interface AgentModeMiddlewareOptions {
  catalog: AgentModeCatalog;
  store: AgentModeStore;
  /** Clock of recorded changes (default `Date.now`). */
  now?: () => number;
}

type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type Publish = (event: UnstampedEvent) => void;
type Log = (level: LogLevel, message: string, fields: Record<string, unknown>) => void;

/**
 * The agent-mode middleware (reference webchat-backend §7.2, with enforcement). Around every engine call:
 *
 * 1. Current mode: Turn.data `geppetto.agent_mode@v1` → the store's latest mode for the session → the
 *    default mode; written back to Turn.data. A mode that is no longer configured logs a warning and
 *    falls back to the default (the reference skipped the injection and enforced nothing).
 * 2. Earlier injections are removed and a tagged user block with the mode prompt and the switch
 *    instructions is inserted before the last user block (see `insertAgentModePrompt`).
 * 3. The mode's `allowed_tools` are written to `geppetto.agent_mode_allowed_tools@v1` (removed when the mode
 *    has none), and ENFORCED: the engine only sees allowed tools in `context.tools`, and the tool loop's
 *    executor reads that key after every engine call (so it sees the list written here, even on the
 *    first call of a session or right after a switch) and answers calls to other tools with a
 *    `tool not allowed: NAME` error result without running them; the model sees the refusal on its next
 *    call.
 * 4. New `llm_text` output is scanned for a fenced YAML `mode_switch`. A switch to another known mode is
 *    written to Turn.data (with the new mode's tool list), recorded in the store, announced with a
 *    `[agent-mode] switched to X` system block and an `agent-mode-switch` event. An analysis without a
 *    new mode is announced as a switch to the same mode; an unknown mode is a `warn` log; malformed YAML
 *    a `debug` log.
 *
 * Store failures never fail the inference: they become `log` events.
 */
export function agentModeMiddleware(options: AgentModeMiddlewareOptions): Middleware {
  const { catalog, store } = options;
  const now = options.now ?? Date.now;
  return (next) => async (turn, context) => {
    const publish: Publish = (event) =>
      context.sink.publish({ ...event, meta: eventMetadataFor(turn, context, randomUUID()) });
    const log: Log = (level, message, fields) => publish({ type: 'log', level, message, fields });
    const sessionId = readSessionId(turn) || context.sessionId;

    const mode = resolveMode(turn, sessionId, catalog, store, log);
    turn.data.set(agentModeKey, mode.name);
    removeAgentModeInjections(turn);
    insertAgentModePrompt(turn, agentModePromptBlock(mode, catalog.names()));
    log('info', 'agentmode: user prompt inserted', { mode: mode.name });
    writeAllowedTools(turn, mode);

    const baseline = blockIdSet(turn);
    const allowed = mode.allowed_tools;
    const modeContext = {
      ...context,
      tools: allowed ? context.tools.filter((tool) => allowed.includes(tool.name)) : context.tools,
    };
    const result = await next(turn, modeContext);

    const added = blocksAddedSince(result, baseline);
    const detection = detectModeSwitch(added);
    for (const skipped of detection.skipped) {
      log('debug', 'agentmode: malformed mode_switch YAML skipped', {
        block_id: skipped.blockId,
        reason: skipped.reason,
      });
    }
    if (detection.proposal) {
      applyProposal(result, mode, detection.proposal, { catalog, store, sessionId, now, publish, log });
    }
    return result;
  };
}

interface ProposalDependencies {
  catalog: AgentModeCatalog;
  store: AgentModeStore;
  sessionId: string;
  now: () => number;
  publish: Publish;
  log: Log;
}

/** Acts on a detected `mode_switch` (reference §7.2 step 7). */
function applyProposal(result: Turn, mode: AgentMode, proposal: ModeSwitchProposal, deps: ProposalDependencies): void {
  const { catalog, log, publish } = deps;
  const analysis = proposal.analysis ? { analysis: proposal.analysis } : {};
  const announce = (to: string) =>
    publish({
      type: 'agent-mode-switch',
      message: 'agentmode: mode switched',
      data: { from: mode.name, to, ...analysis },
    });
  if (!proposal.newMode) {
    announce(mode.name);
    return;
  }
  const target = catalog.get(proposal.newMode);
  if (!target) {
    log('warn', `agentmode: unknown mode ${JSON.stringify(proposal.newMode)} proposed; staying in ${mode.name}`, {
      proposed: proposal.newMode,
      mode: mode.name,
      available: catalog.names(),
    });
    return;
  }
  if (target.name === mode.name) return;
  result.data.set(agentModeKey, target.name);
  writeAllowedTools(result, target);
  try {
    deps.store.recordChange(
      newAgentModeChange(
        {
          sessionId: deps.sessionId,
          turnId: result.id,
          fromMode: mode.name,
          toMode: target.name,
          analysis: proposal.analysis || null,
        },
        deps.now,
      ),
    );
  } catch (error) {
    log('error', `agentmode: recording the mode change failed: ${errorMessage(error)}`, {
      from: mode.name,
      to: target.name,
    });
  }
  result.blocks.push(systemBlock(`[agent-mode] switched to ${target.name}`));
  announce(target.name);
}

function resolveMode(
  turn: Turn,
  sessionId: string,
  catalog: AgentModeCatalog,
  store: AgentModeStore,
  log: Log,
): AgentMode {
  let name = readMode(turn);
  if (!name && sessionId) {
    try {
      name = store.currentMode(sessionId);
    } catch (error) {
      log('warn', `agentmode: reading the session's mode failed: ${errorMessage(error)}`, { session_id: sessionId });
    }
  }
  if (!name) return catalog.defaultMode;
  const mode = catalog.get(name);
  if (mode) return mode;
  log('warn', `agentmode: unknown mode ${JSON.stringify(name)}; using the default mode ${catalog.defaultMode.name}`, {
    mode: name,
    default_mode: catalog.defaultMode.name,
  });
  return catalog.defaultMode;
}

/** Sets the mode's tool list, or removes it when the mode has none (so no earlier list lingers). */
function writeAllowedTools(turn: Turn, mode: AgentMode): void {
  if (mode.allowed_tools) turn.data.set(agentModeAllowedToolsKey, mode.allowed_tools);
  else turn.data.delete(agentModeAllowedToolsKey);
}

function readMode(turn: Turn): string | undefined {
  try {
    return turn.data.get(agentModeKey)?.trim() || undefined;
  } catch {
    return undefined;
  }
}

function readSessionId(turn: Turn): string {
  try {
    return turn.metadata.get(sessionIdKey) ?? '';
  } catch {
    return '';
  }
}
