import {
  createToolConfig,
  type InferenceContext,
  type InferenceEvent,
  RecordingSink,
  type ToolConfig,
  type ToolDefinition,
} from '@cricket/core';

/** Options of {@link createTestInferenceContext}. */
export interface TestInferenceContextOptions {
  tools?: readonly ToolDefinition[];
  toolConfig?: Partial<ToolConfig>;
  sessionId?: string;
  inferenceId?: string;
  /** Called after each event is recorded (e.g. to abort on the first `partial`). */
  onEvent?: (event: InferenceEvent, controller: AbortController) => void;
}

/** A context for calling an engine directly, with the sink and abort controller exposed. */
export interface TestInferenceContext {
  context: InferenceContext;
  /** Every event the engine published, in order. */
  sink: RecordingSink;
  /** Aborting it cancels the inference. */
  controller: AbortController;
}

/**
 * An {@link InferenceContext} for engine tests: a {@link RecordingSink}, a fresh
 * `AbortController`, fixed session / inference ids, the given tools and a default tool config
 * (overridable). `onEvent` sees each event right after it is recorded.
 */
export function createTestInferenceContext(options: TestInferenceContextOptions = {}): TestInferenceContext {
  const sink = new RecordingSink();
  const controller = new AbortController();
  const context: InferenceContext = {
    signal: controller.signal,
    sessionId: options.sessionId ?? 'session-test',
    inferenceId: options.inferenceId ?? 'inference-test',
    sink: {
      publish(event) {
        sink.publish(event);
        options.onEvent?.(event, controller);
      },
    },
    tools: options.tools ?? [],
    toolConfig: createToolConfig(options.toolConfig),
  };
  return { context, sink, controller };
}
