import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine.js';
import { eventMetadataFor, type InferenceContext, type SnapshotHook } from '../engine/inference-context.js';
import { errorMessage } from '../errors/cricket-error.js';
import { type EventSink, FanOutSink, type SinkErrorHandler } from '../events/event-sink.js';
import { compose, type InferenceHandler, type Middleware } from '../middleware/middleware.js';
import { createToolConfig, type ToolConfig } from '../tools/tool-config.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { Turn } from '../turns/turn.js';
import { inferenceIdKey, sessionIdKey } from '../turns/well-known-keys.js';
import { createSnapshotter } from './snapshotter.js';
import type { StepController } from './step-controller.js';
import { runToolLoop } from './tool-loop.js';

/** Stores the finished turn of a successful inference. */
export type TurnPersister = (turn: Turn) => void | Promise<void>;

/** Per-call inputs of an {@link InferenceRunner}. */
export interface InferenceRequest {
  signal: AbortSignal;
  sessionId: string;
  inferenceId: string;
}

/** Runs one inference (a tool loop of one or more engine calls) on a turn, mutating it in place. */
export interface InferenceRunner {
  infer(turn: Turn, request: InferenceRequest): Promise<Turn>;
}

/** Creates a runner for a session. Building does no I/O. */
export interface EngineBuilder {
  build(sessionId: string): InferenceRunner;
}

/** Configuration of {@link createEngineBuilder}. */
export interface EngineBuilderOptions {
  engine: Engine;
  /** Wrapped around every engine call; the first is the outermost. */
  middlewares?: readonly Middleware[];
  /** Tools; without a registry every inference is a single engine call (no tool loop). */
  registry?: ToolRegistry;
  toolConfig?: Partial<ToolConfig>;
  /** Engine calls per inference before `max iterations (N) reached` (default 20). */
  maxIterations?: number;
  sinks?: readonly EventSink[];
  /** Where failing sinks are reported (default: a console warning). */
  onSinkError?: SinkErrorHandler;
  snapshot?: SnapshotHook;
  /** Called with the final turn after a successful inference; failures are reported as `log` events. */
  persister?: TurnPersister;
  stepController?: StepController;
  stepPauseTimeoutMs?: number;
}

/**
 * The standard builder: wraps the engine in the middlewares and runs either the tool loop (with a
 * registry) or a single engine call, with snapshot hooks, event sinks and an optional persister.
 */
export function createEngineBuilder(options: EngineBuilderOptions): EngineBuilder {
  const handler: InferenceHandler = compose(
    (turn, context) => options.engine.infer(turn, context),
    ...(options.middlewares ?? []),
  );
  const toolConfig = createToolConfig(options.toolConfig);
  return {
    build(builderSessionId) {
      return {
        async infer(turn, request) {
          const sessionId = request.sessionId || builderSessionId;
          if (!turn.id) turn.id = randomUUID();
          if (!turn.metadata.has(sessionIdKey)) turn.metadata.set(sessionIdKey, sessionId);
          if (!turn.metadata.has(inferenceIdKey)) turn.metadata.set(inferenceIdKey, request.inferenceId);
          const sink = new FanOutSink(options.sinks ?? [], options.onSinkError);
          const context = { signal: request.signal, sessionId, inferenceId: request.inferenceId, sink };

          const result = options.registry
            ? await runToolLoop(turn, {
                handler,
                registry: options.registry,
                toolConfig,
                ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
                context,
                ...(options.snapshot ? { snapshot: options.snapshot } : {}),
                ...(options.stepController ? { stepController: options.stepController } : {}),
                ...(options.stepPauseTimeoutMs === undefined ? {} : { stepPauseTimeoutMs: options.stepPauseTimeoutMs }),
              })
            : await runSinglePass(
                turn,
                handler,
                { ...context, tools: [], toolConfig: { ...toolConfig, enabled: false } },
                options.snapshot,
              );

          if (options.persister) {
            try {
              await options.persister(result);
            } catch (error) {
              sink.publish({
                type: 'log',
                meta: eventMetadataFor(result, context, randomUUID()),
                level: 'error',
                message: `turn persister failed: ${errorMessage(error)}`,
              });
            }
          }
          return result;
        },
      };
    },
  };
}

async function runSinglePass(
  turn: Turn,
  handler: InferenceHandler,
  context: InferenceContext,
  snapshot: SnapshotHook | undefined,
): Promise<Turn> {
  const take = createSnapshotter(snapshot, context);
  let current = turn;
  try {
    await take(current, 'pre_inference');
    current = await handler(current, context);
    await take(current, 'post_inference');
    return current;
  } finally {
    await take(current, 'final');
  }
}
