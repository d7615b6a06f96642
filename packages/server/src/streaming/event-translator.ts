import { randomUUID } from 'node:crypto';
import type { EventMetadata, InferenceEvent } from '@cricket/core';
import { int64, type LlmInferenceMetadata, omitZero, type SemEvent } from '@cricket/protocol';

/** A SEM event before the pipeline assigns its `seq`. */
export type UnsequencedSemEvent = SemEvent extends infer E ? (E extends SemEvent ? Omit<E, 'seq'> : never) : never;

interface StreamState {
  /** `llm.start` has been sent for this message id. */
  started: boolean;
  /** Text streamed so far (the last `cumulative`), to close the message if the call fails. */
  text: string;
  /** `llm.thinking.start` sent and not yet closed. */
  thinkingOpen: boolean;
}

/**
 * Translates core inference events into SEM events (reference §4.3, with Cricket's fixes): `error` events
 * become `error` frames instead of being dropped; `llm.start` is sent lazily with the first text, so a
 * model call that only requests tools leaves no empty assistant message; thinking streams are opened and
 * closed around their deltas; an `interrupt` ends the message with stop reason `interrupted`.
 *
 * One translator per conversation (its state is keyed by `message_id`, i.e. by engine call).
 */
export class EventTranslator {
  readonly #streams = new Map<string, StreamState>();

  translate(event: InferenceEvent): UnsequencedSemEvent[] {
    const id = event.meta.message_id;
    switch (event.type) {
      case 'start':
        this.#state(id);
        return [];
      case 'partial': {
        if (!event.delta && !event.completion) return [];
        const out = this.#closeThinking(id);
        out.push(...this.#ensureStarted(id, event.meta));
        this.#state(id).text = event.completion;
        out.push({
          type: 'llm.delta',
          id,
          data: { id, delta: event.delta, cumulative: event.completion },
          ...metadataOf(event.meta, false),
        });
        return out;
      }
      case 'partial-thinking': {
        const out = this.#openThinking(id, event.meta);
        out.push({
          type: 'llm.thinking.delta',
          id: `${id}:thinking`,
          data: { id: `${id}:thinking`, delta: event.delta, cumulative: event.completion },
          ...metadataOf(event.meta, false),
        });
        return out;
      }
      case 'info':
        return this.#translateInfo(id, event.message, event.data, event.meta);
      case 'final':
      case 'interrupt': {
        const out = this.#closeThinking(id);
        const state = this.#state(id);
        this.#streams.delete(id);
        if (!state.started && !event.text) return out;
        if (!state.started) out.push(...this.#ensureStarted(id, event.meta));
        const meta = event.type === 'interrupt' ? { ...event.meta, stop_reason: 'interrupted' } : event.meta;
        out.push({ type: 'llm.final', id, data: { id, text: event.text }, ...metadataOf(meta, true) });
        return out;
      }
      case 'error': {
        const out = this.#closeThinking(id);
        const state = this.#streams.get(id);
        this.#streams.delete(id);
        // Fix: a call that fails after streaming text never sends `final`, which left the assistant
        // message `streaming` forever (live and in /timeline). Close it with the text that streamed.
        if (state?.started) {
          out.push({
            type: 'llm.final',
            id,
            data: { id, text: state.text },
            ...metadataOf({ ...event.meta, stop_reason: 'error' }, true),
          });
        }
        const errorId = `error-${id}`;
        out.push({
          type: 'error',
          id: errorId,
          data: omitZero({
            id: errorId,
            message: event.error_string,
            code: event.code,
            blame: event.blame,
            inferenceId: event.meta.inference_id,
          }),
        });
        return out;
      }
      case 'tool-call':
        return [
          {
            type: 'tool.start',
            id: event.tool_call.id,
            data: omitZero({
              id: event.tool_call.id,
              name: event.tool_call.name,
              input: parseObject(event.tool_call.input),
            }),
          },
        ];
      case 'tool-call-execute':
        return [
          {
            type: 'tool.delta',
            id: event.tool_call.id,
            data: { id: event.tool_call.id, patch: { exec: true, input: parseObject(event.tool_call.input) ?? null } },
          },
        ];
      case 'tool-result':
      case 'tool-call-execution-result': {
        const result = event.tool_result;
        const error = 'error' in result ? result.error : undefined;
        return [
          { type: 'tool.result', id: result.id, data: omitZero({ id: result.id, result: result.result, error }) },
          { type: 'tool.done', id: result.id, data: { id: result.id } },
        ];
      }
      case 'log': {
        const logId = `log-${randomUUID()}`;
        return [
          {
            type: 'log',
            id: logId,
            data: omitZero({ id: logId, level: event.level, message: event.message, fields: event.fields }),
          },
        ];
      }
      case 'agent-mode-switch': {
        const modeId = `agentmode-${event.meta.turn_id ?? 'turn'}-${randomUUID()}`;
        return [
          { type: 'agent.mode', id: modeId, data: { id: modeId, title: event.message, data: { ...event.data } } },
        ];
      }
      case 'debugger.pause':
        return [
          {
            type: 'debugger.pause',
            id: event.pause_id,
            data: omitZero({
              id: event.pause_id,
              pauseId: event.pause_id,
              phase: event.phase,
              summary: event.summary,
              deadlineMs: int64(event.deadline_ms),
              extra: event.extra,
            }),
          },
        ];
      default:
        return [];
    }
  }

  #translateInfo(
    id: string,
    message: string,
    data: Record<string, unknown> | undefined,
    meta: EventMetadata,
  ): UnsequencedSemEvent[] {
    if (message === 'thinking-started') return this.#openThinking(id, meta);
    if (message === 'thinking-ended') return this.#closeThinking(id);
    if (message === 'reasoning-summary' && typeof data?.text === 'string' && data.text) {
      const out = this.#openThinking(id, meta);
      out.push({
        type: 'llm.thinking.delta',
        id: `${id}:thinking`,
        data: { id: `${id}:thinking`, delta: data.text, cumulative: data.text },
      });
      return out;
    }
    return [];
  }

  #state(id: string): StreamState {
    let state = this.#streams.get(id);
    if (!state) {
      state = { started: false, text: '', thinkingOpen: false };
      this.#streams.set(id, state);
    }
    return state;
  }

  #ensureStarted(id: string, meta: EventMetadata): UnsequencedSemEvent[] {
    const state = this.#state(id);
    if (state.started) return [];
    state.started = true;
    return [{ type: 'llm.start', id, data: { id, role: 'assistant' }, ...metadataOf(meta, false) }];
  }

  #openThinking(id: string, meta: EventMetadata): UnsequencedSemEvent[] {
    const state = this.#state(id);
    if (state.thinkingOpen) return [];
    state.thinkingOpen = true;
    const thinkingId = `${id}:thinking`;
    return [
      {
        type: 'llm.thinking.start',
        id: thinkingId,
        data: { id: thinkingId, role: 'thinking' },
        ...metadataOf(meta, false),
      },
    ];
  }

  #closeThinking(id: string): UnsequencedSemEvent[] {
    const state = this.#streams.get(id);
    if (!state?.thinkingOpen) return [];
    state.thinkingOpen = false;
    const thinkingId = `${id}:thinking`;
    return [{ type: 'llm.thinking.final', id: thinkingId, data: { id: thinkingId } }];
  }
}

/**
 * `LlmInferenceMetadataV1` from event metadata, as `{metadata}` when non-empty. Deltas carry only the
 * model (`full` = false) so streaming frames stay small; starts and finals carry everything.
 */
function metadataOf(meta: EventMetadata, full: boolean): { metadata?: LlmInferenceMetadata } {
  const metadata: LlmInferenceMetadata = omitZero({
    model: meta.model,
    ...(full
      ? {
          temperature: meta.temperature,
          topP: meta.top_p,
          maxTokens: meta.max_tokens,
          stopReason: meta.stop_reason,
          usage: meta.usage
            ? omitZero({
                inputTokens: meta.usage.input_tokens,
                outputTokens: meta.usage.output_tokens,
                cachedTokens: meta.usage.cached_tokens,
                cacheCreationInputTokens: meta.usage.cache_creation_input_tokens,
                cacheReadInputTokens: meta.usage.cache_read_input_tokens,
                reasoningTokens: meta.usage.reasoning_tokens,
              })
            : undefined,
          durationMs: meta.duration_ms === undefined ? undefined : int64(meta.duration_ms),
        }
      : {}),
  });
  return Object.keys(metadata).length > 0 ? { metadata } : {};
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
