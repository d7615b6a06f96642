import { randomUUID } from 'node:crypto';
import type { InferenceContext } from '../engine/inference-context.js';
import { RecordingSink } from '../events/event-sink.js';
import { createToolConfig, type ToolConfig } from '../tools/tool-config.js';
import type { ToolDefinition } from '../tools/tool-definition.js';

/** Options of {@link createTestContext}. */
export interface TestContextOptions {
  signal?: AbortSignal;
  tools?: readonly ToolDefinition[];
  toolConfig?: Partial<ToolConfig>;
  sessionId?: string;
  inferenceId?: string;
}

/**
 * An {@link InferenceContext} for calling an engine directly in tests, with a {@link RecordingSink}
 * that captures every event.
 */
export function createTestContext(options: TestContextOptions = {}): InferenceContext & { sink: RecordingSink } {
  return {
    signal: options.signal ?? new AbortController().signal,
    sessionId: options.sessionId ?? randomUUID(),
    inferenceId: options.inferenceId ?? randomUUID(),
    sink: new RecordingSink(),
    tools: options.tools ?? [],
    toolConfig: createToolConfig(options.toolConfig),
  };
}
