import { errorMessage } from '../errors/cricket-error.js';
import { ToolError } from '../errors/tool-error.js';
import type { EventMetadata } from '../events/event-metadata.js';
import type { InferenceEvent } from '../events/inference-event.js';
import { raceAbort, sleep } from '../shared/abort.js';
import { assertJsonSerializable } from '../turns/json-value.js';
import type { PendingToolCall } from '../turns/tool-blocks.js';
import type { ToolConfig } from './tool-config.js';
import type { ToolDefinition } from './tool-definition.js';
import type { ToolRegistry } from './tool-registry.js';

/** The outcome of one tool call, in the shape appended to the turn as a `tool_use` block. */
export interface ToolCallOutcome {
  id: string;
  name: string;
  /** The tool's return value encoded as JSON text; absent on failure. */
  result?: string;
  /** Empty on success. */
  error: string;
  /** Set when the failure has a typed cause. */
  errorCode?: ToolError['code'];
  durationMs: number;
}

/** What the executor needs besides the calls. */
export interface ToolExecutorOptions {
  registry: ToolRegistry;
  config: ToolConfig;
  /** Cancels every running call (they are reported as cancelled). */
  signal: AbortSignal;
  /** Receives `tool-call-execute` / `tool-call-execution-result` (and tools' own) events. */
  publish: (event: InferenceEvent) => void;
  /** Correlation metadata for executor events (session, inference, turn ids). */
  metadata: () => EventMetadata;
  /** Names allowed to execute on top of `config.allowed_tools` (e.g. the agent mode's list). */
  extraAllowList?: readonly string[] | null;
  /** Masks arguments before they appear in events (default: compact JSON). */
  maskArguments?: (call: PendingToolCall) => string;
}

/** Result of a batch: outcomes in call order, plus the failure that stopped it under policy `abort`. */
export interface ToolBatchResult {
  outcomes: ToolCallOutcome[];
  aborted?: { name: string; message: string };
}

/** True when `name` passes both allow lists (`null`/`undefined` = no restriction). */
export function isToolAllowed(name: string, ...lists: (readonly string[] | null | undefined)[]): boolean {
  return lists.every((list) => !list || list.includes(name));
}

/**
 * Executes a batch of tool calls: sequentially when `max_parallel_tools` ≤ 1, otherwise with at most
 * that many running at once; outcomes keep call order. Each call is checked against the allow lists,
 * validated with the tool's schema, run under the **enforced** `execution_timeout_ms` (the call is
 * abandoned when it elapses, even if the tool ignores its signal) and retried with exponential backoff
 * under policy `retry`. Failures become error outcomes — the executor itself never throws. Under policy
 * `abort` the first failure stops calls that have not started (they get a "skipped" error outcome).
 */
export async function executeToolCalls(
  calls: readonly PendingToolCall[],
  options: ToolExecutorOptions,
): Promise<ToolBatchResult> {
  const outcomes: ToolCallOutcome[] = new Array(calls.length);
  let aborted: ToolBatchResult['aborted'];
  const limit = Math.max(1, options.config.max_parallel_tools);
  let next = 0;

  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      const call = calls[index] as PendingToolCall;
      if (aborted) {
        outcomes[index] = skippedOutcome(call, aborted);
        continue;
      }
      const outcome = await executeOne(call, options);
      outcomes[index] = outcome;
      if (outcome.error && options.config.tool_error_handling === 'abort' && !aborted) {
        aborted = { name: call.name, message: outcome.error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, calls.length) }, worker));
  return aborted ? { outcomes, aborted } : { outcomes };
}

function skippedOutcome(call: PendingToolCall, aborted: { name: string; message: string }): ToolCallOutcome {
  return {
    id: call.id,
    name: call.name,
    error: `skipped: tool execution aborted due to error in ${aborted.name}: ${aborted.message}`,
    errorCode: 'tool-aborted',
    durationMs: 0,
  };
}

async function executeOne(call: PendingToolCall, options: ToolExecutorOptions): Promise<ToolCallOutcome> {
  const started = performance.now();
  const finish = (fields: { result?: string; error?: ToolError }): ToolCallOutcome => {
    const outcome: ToolCallOutcome = {
      id: call.id,
      name: call.name,
      error: fields.error?.message ?? '',
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
    if (fields.result !== undefined) outcome.result = fields.result;
    if (fields.error) outcome.errorCode = fields.error.code;
    options.publish({
      type: 'tool-call-execution-result',
      meta: options.metadata(),
      tool_result: {
        id: call.id,
        name: call.name,
        result: fields.error ? `Error: ${fields.error.message}` : (fields.result ?? 'null'),
        ...(fields.error ? { error: fields.error.message } : {}),
        duration_ms: outcome.durationMs,
      },
    });
    return outcome;
  };

  const tool = options.registry.has(call.name) ? options.registry.get(call.name) : undefined;
  const mask = options.maskArguments ?? ((pending: PendingToolCall) => JSON.stringify(pending.args));
  options.publish({
    type: 'tool-call-execute',
    meta: options.metadata(),
    tool_call: { id: call.id, name: call.name, input: mask(call) },
  });
  if (!tool)
    return finish({ error: new ToolError('tool-not-found', `tool not found: ${call.name}`, { blame: 'provider' }) });
  if (!isToolAllowed(call.name, options.config.allowed_tools, options.extraAllowList)) {
    return finish({
      error: new ToolError('tool-not-allowed', `tool not allowed: ${call.name}`, { blame: 'provider' }),
    });
  }
  let args: unknown;
  try {
    args = tool.parse(call.args);
  } catch (error) {
    return finish({ error: asToolError(error, 'tool-invalid-arguments', call.name) });
  }

  const { max_retries, backoff_base_ms, backoff_factor } = options.config.retry_config;
  for (let attempt = 0; ; attempt++) {
    if (options.signal.aborted) return finish({ error: new ToolError('tool-cancelled', 'execution cancelled') });
    let value: unknown;
    try {
      value = await runWithTimeout(tool, args, call, options);
    } catch (error) {
      const failure = asToolError(error, 'tool-failed', call.name);
      const retry =
        options.config.tool_error_handling === 'retry' &&
        attempt < max_retries &&
        failure.code !== 'tool-cancelled' &&
        failure.code !== 'tool-invalid-arguments';
      if (!retry) return finish({ error: failure });
      try {
        await sleep(backoff_base_ms * backoff_factor ** attempt, options.signal);
      } catch {
        return finish({ error: new ToolError('tool-cancelled', 'context cancelled during retry backoff') });
      }
      continue;
    }
    // Encoding failures are the tool's contract violation, not a transient error: never retried.
    try {
      return finish({ result: encodeResult(value, call.name) });
    } catch (error) {
      return finish({ error: asToolError(error, 'tool-failed', call.name) });
    }
  }
}

/** Drops empty correlation fields so they do not overwrite the inference's ids. */
function stripEmpty(meta: EventMetadata | undefined): Partial<EventMetadata> {
  if (!meta) return {};
  return Object.fromEntries(
    Object.entries(meta).filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<EventMetadata>;
}

async function runWithTimeout(
  tool: ToolDefinition,
  args: unknown,
  call: PendingToolCall,
  options: ToolExecutorOptions,
): Promise<unknown> {
  const timeoutMs = options.config.execution_timeout_ms;
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', onParentAbort, { once: true });
  let timedOut = false;
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error('timeout'));
        }, timeoutMs)
      : undefined;
  try {
    const running = Promise.resolve().then(() =>
      tool.execute(args, {
        signal: controller.signal,
        callId: call.id,
        toolName: call.name,
        metadata: options.metadata,
        publish: (event) => options.publish({ ...event, meta: { ...options.metadata(), ...stripEmpty(event.meta) } }),
      }),
    );
    return await raceAbort(running, controller.signal, () =>
      timedOut
        ? new ToolError('tool-timeout', `tool ${call.name} timed out after ${timeoutMs}ms`)
        : new ToolError('tool-cancelled', 'execution cancelled'),
    );
  } finally {
    if (timer) clearTimeout(timer);
    options.signal.removeEventListener('abort', onParentAbort);
  }
}

function encodeResult(value: unknown, name: string): string {
  const normalized = value === undefined ? null : value;
  try {
    assertJsonSerializable(normalized, `result of tool ${name}`);
  } catch (error) {
    throw new ToolError('tool-failed', errorMessage(error));
  }
  return JSON.stringify(normalized);
}

function asToolError(error: unknown, fallback: ToolError['code'], name: string): ToolError {
  if (error instanceof ToolError) return error;
  const message = errorMessage(error) || `tool ${name} failed`;
  return new ToolError(fallback, message, { cause: error });
}
