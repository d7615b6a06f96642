import { randomUUID } from 'node:crypto';
import type { InferenceContext, SnapshotHook } from '../engine/inference-context.js';
import { eventMetadataFor } from '../engine/inference-context.js';
import { addUsage, type Usage } from '../engine/usage.js';
import { InferenceError } from '../errors/inference-error.js';
import { ToolError } from '../errors/tool-error.js';
import type { InferenceHandler } from '../middleware/middleware.js';
import { cancelledError } from '../shared/abort.js';
import type { ToolConfig } from '../tools/tool-config.js';
import { executeToolCalls } from '../tools/tool-executor.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { appendToolResults, type PendingToolCall, pendingToolCalls } from '../turns/tool-blocks.js';
import type { Turn } from '../turns/turn.js';
import { agentModeAllowedToolsKey, toolConfigKey, usageKey } from '../turns/well-known-keys.js';
import { createSnapshotter } from './snapshotter.js';
import type { PausePhase, StepController } from './step-controller.js';

/** Default and hard limits of the loop. */
export const defaultMaxIterations = 20;

/** Inputs of {@link runToolLoop}. */
export interface ToolLoopOptions {
  /** The engine call, already wrapped in middleware. */
  handler: InferenceHandler;
  registry: ToolRegistry;
  toolConfig: ToolConfig;
  /** Engine calls allowed before giving up (default: `toolConfig.max_iterations`, else {@link defaultMaxIterations}). */
  maxIterations?: number;
  /** Base context; `tools` and `toolConfig` are derived by the loop for each call. */
  context: Omit<InferenceContext, 'tools' | 'toolConfig'>;
  snapshot?: SnapshotHook;
  stepController?: StepController;
  /** Auto-continue delay of step-mode pauses. */
  stepPauseTimeoutMs?: number;
}

/**
 * Runs engine calls until the model stops asking for tools:
 * `pre_inference` snapshot → engine → `post_inference` → execute pending calls → append `tool_use`
 * blocks → `post_tools` → repeat. Engines write the usage of their call on `geppetto.usage@v1`; the loop
 * replaces it with the sum over the inference's calls. A `final` snapshot is taken once when the loop ends, whatever the
 * outcome. The turn is mutated in place and returned.
 *
 * Failures: after `maxIterations` engine calls that all asked for tools, rejects with
 * `InferenceError('max-iterations')` (message `max iterations (N) reached`). On cancellation, every
 * tool call still pending gets a `tool_use` error result (so the turn stays well-formed) before the
 * loop rejects with `InferenceError('cancelled')`. Under policy `abort` a failed tool ends the loop with
 * `ToolError('tool-aborted')` after its results are appended.
 */
export async function runToolLoop(turn: Turn, options: ToolLoopOptions): Promise<Turn> {
  const maxIterations =
    options.maxIterations && options.maxIterations > 0
      ? options.maxIterations
      : options.toolConfig.max_iterations > 0
        ? options.toolConfig.max_iterations
        : defaultMaxIterations;
  const toolConfig: ToolConfig = { ...options.toolConfig, max_iterations: maxIterations };
  turn.data.set(toolConfigKey, toolConfig);
  const { context } = options;
  const snapshot = createSnapshotter(options.snapshot, context);

  let current = turn;
  let total: Usage | undefined;
  try {
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      await snapshot(current, 'pre_inference');
      const modeTools = readAllowedTools(current);
      const advertised = toolConfig.enabled
        ? options.registry
            .allowed(toolConfig.allowed_tools)
            .filter((tool) => !modeTools || modeTools.includes(tool.name))
        : [];
      current.metadata.delete(usageKey);
      current = await options.handler(current, { ...context, tools: advertised, toolConfig });
      total = addUsage(total, readUsage(current));
      if (total) current.metadata.set(usageKey, total);
      await snapshot(current, 'post_inference');

      const pending = pendingToolCalls(current);
      if (pending.length === 0) return current;
      await pauseIfStepping(options, current, 'after_inference', 'Review next action', {
        pending_tools: pending.length,
      });
      if (context.signal.aborted) throw cancelledError(context.signal);

      const batch = await executeToolCalls(pending, {
        registry: options.registry,
        config: toolConfig,
        signal: context.signal,
        publish: (event) => context.sink.publish(event),
        metadata: () => eventMetadataFor(current, context, randomUUID()),
        // Read again: a middleware (agent mode) may have changed the allowed tools during this call.
        extraAllowList: readAllowedTools(current),
      });
      appendToolResults(current, batch.outcomes);
      await snapshot(current, 'post_tools');
      if (context.signal.aborted) throw cancelledError(context.signal);
      if (batch.aborted) {
        throw new ToolError(
          'tool-aborted',
          `tool execution aborted due to error in ${batch.aborted.name}: ${batch.aborted.message}`,
        );
      }
      await pauseIfStepping(options, current, 'after_tools', 'Review tool results', {});
    }
    throw new InferenceError('max-iterations', `max iterations (${maxIterations}) reached`);
  } catch (error) {
    if (context.signal.aborted) closePendingCalls(current, 'execution cancelled', context);
    throw error;
  } finally {
    await snapshot(current, 'final');
  }
}

/** The usage the last engine call wrote; an undecodable value counts as none. */
function readUsage(turn: Turn): Usage | undefined {
  try {
    return turn.metadata.get(usageKey);
  } catch {
    return undefined;
  }
}

function readAllowedTools(turn: Turn): string[] | undefined {
  try {
    return turn.data.get(agentModeAllowedToolsKey);
  } catch {
    return undefined;
  }
}

/**
 * Gives every unanswered tool call an error result and announces it with a
 * `tool-call-execution-result` event, so UIs close the call's card.
 */
function closePendingCalls(turn: Turn, reason: string, context: Omit<InferenceContext, 'tools' | 'toolConfig'>): void {
  const pending: PendingToolCall[] = pendingToolCalls(turn);
  appendToolResults(
    turn,
    pending.map((call) => ({ id: call.id, error: reason })),
  );
  for (const call of pending) {
    context.sink.publish({
      type: 'tool-call-execution-result',
      meta: eventMetadataFor(turn, context, randomUUID()),
      tool_result: { id: call.id, name: call.name, result: `Error: ${reason}`, error: reason },
    });
  }
}

async function pauseIfStepping(
  options: ToolLoopOptions,
  turn: Turn,
  phase: PausePhase,
  summary: string,
  extra: Record<string, unknown>,
): Promise<void> {
  const { stepController, context } = options;
  if (!stepController || !context.sessionId) return;
  const pending = stepController.pause(
    context.sessionId,
    phase,
    summary,
    extra,
    context.signal,
    options.stepPauseTimeoutMs,
  );
  if (!pending) return;
  context.sink.publish({
    type: 'debugger.pause',
    meta: eventMetadataFor(turn, context, randomUUID()),
    pause_id: pending.pause.pauseId,
    phase,
    summary,
    deadline_ms: pending.pause.deadlineMs,
    extra: pending.pause.extra,
  });
  await pending.continued;
}
