import { randomUUID } from 'node:crypto';
import type { Engine, EngineInfo } from '../engine/engine.js';
import { eventMetadataFor, type InferenceContext } from '../engine/inference-context.js';
import type { Usage } from '../engine/usage.js';
import { InferenceError } from '../errors/inference-error.js';
import { cancelledError, sleep } from '../shared/abort.js';
import { llmTextBlock, reasoningBlock, toolCallBlock } from '../turns/block.js';
import type { Turn } from '../turns/turn.js';
import { modelKey, providerKey, stopReasonKey, usageKey } from '../turns/well-known-keys.js';
import { type DemoInput, demoStep } from './demo-rules.js';
import type { Script, ScriptStep } from './script.js';

/** Options of {@link ScriptedEngine}. */
export interface ScriptedEngineOptions {
  /** A script; without one the built-in demo rules answer. */
  script?: Script;
  /** Model name reported in events (default: the script's, else `scripted-demo`). */
  model?: string;
  /** Milliseconds between streamed chunks (overrides the script's `pace_ms`). */
  paceMs?: number;
  /** Characters per chunk (overrides the script's `chunk_chars`). */
  chunkChars?: number;
}

/**
 * A deterministic, offline engine: the test double for everything above the provider layer and the
 * default when no provider is configured. It streams text at a configurable pace, can emit reasoning,
 * tool calls (driving the tool loop), usage and errors, and honours cancellation mid-stream like a
 * real provider (interrupt event, partial text kept, `InferenceError('cancelled')`).
 *
 * Which step plays: the first rule whose `match` fits the last user message (a rule without `match`
 * always fits); within it, step N where N is the number of tool rounds already in this inference.
 */
export class ScriptedEngine implements Engine {
  readonly info: EngineInfo;
  readonly #script: Script | undefined;
  readonly #paceMs: number;
  readonly #chunkChars: number;

  constructor(options: ScriptedEngineOptions = {}) {
    this.#script = options.script;
    this.info = {
      provider: 'scripted',
      model: options.model ?? options.script?.model ?? 'scripted-demo',
      offline: true,
    };
    this.#paceMs = options.paceMs ?? options.script?.pace_ms ?? 0;
    this.#chunkChars = options.chunkChars ?? options.script?.chunk_chars ?? 8;
  }

  async infer(turn: Turn, context: InferenceContext): Promise<Turn> {
    const started = performance.now();
    const messageId = randomUUID();
    const model = this.info.model;
    const meta = (fields: Parameters<typeof eventMetadataFor>[3] = {}) =>
      eventMetadataFor(turn, context, messageId, { model, ...fields });
    const input = readInput(turn, context);
    const step = this.#pickStep(input);

    context.sink.publish({ type: 'start', meta: meta() });
    let thinking = '';
    let text = '';
    try {
      if (step.reasoning) {
        for (const chunk of splitChunks(step.reasoning, this.#chunkChars)) {
          await this.#pace(context.signal);
          thinking += chunk;
          context.sink.publish({ type: 'partial-thinking', meta: meta(), delta: chunk, completion: thinking });
        }
        turn.blocks.push(reasoningBlock({ text: thinking }));
      }
      const body = step.text === undefined ? '' : fillTemplate(step.text, input);
      for (const chunk of splitChunks(body, this.#chunkChars)) {
        await this.#pace(context.signal);
        text += chunk;
        context.sink.publish({ type: 'partial', meta: meta(), delta: chunk, completion: text });
      }
    } catch (error) {
      if (!context.signal.aborted) throw error;
      if (thinking && !turn.blocks.some((block) => block.kind === 'reasoning' && block.payload.text === thinking)) {
        turn.blocks.push(reasoningBlock({ text: thinking }));
      }
      if (text) turn.blocks.push(llmTextBlock(text));
      context.sink.publish({ type: 'interrupt', meta: meta({ duration_ms: elapsed(started) }), text });
      throw cancelledError(context.signal);
    }

    if (step.error) {
      if (text) turn.blocks.push(llmTextBlock(text));
      const error = new InferenceError('scripted-error', step.error, { blame: 'provider' });
      context.sink.publish({
        type: 'error',
        meta: meta({ duration_ms: elapsed(started) }),
        error_string: error.message,
        code: error.code,
        blame: error.blame,
      });
      throw error;
    }

    if (text) turn.blocks.push(llmTextBlock(text));
    const calls = (step.tool_calls ?? []).map((call, index) => ({
      id: `call_${turn.blocks.length}_${index}`,
      name: call.name,
      args: call.args,
    }));
    for (const call of calls) {
      turn.blocks.push(toolCallBlock(call.id, call.name, call.args));
      context.sink.publish({
        type: 'tool-call',
        meta: meta(),
        tool_call: { id: call.id, name: call.name, input: JSON.stringify(call.args) },
      });
    }
    const usage: Usage = step.usage ?? {
      input_tokens: estimateTokens(turn.blocks.map((block) => JSON.stringify(block.payload)).join(' ')),
      output_tokens: estimateTokens(thinking + text) + calls.length * 8,
    };
    const stopReason = step.stop_reason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
    turn.metadata.set(providerKey, this.info.provider);
    turn.metadata.set(modelKey, model);
    turn.metadata.set(stopReasonKey, stopReason);
    turn.metadata.set(usageKey, usage);
    context.sink.publish({
      type: 'final',
      meta: meta({ usage, stop_reason: stopReason, duration_ms: elapsed(started) }),
      text,
    });
    return turn;
  }

  #pickStep(input: DemoInput): ScriptStep {
    if (!this.#script) return demoStep(input);
    const rule = this.#script.rules.find(
      (candidate) => !candidate.match || new RegExp(candidate.match, 'i').test(input.prompt),
    );
    if (!rule) return { text: 'The script has no rule for this message.' };
    const last = rule.steps[rule.steps.length - 1] as ScriptStep;
    const step = rule.steps[input.round] ?? { ...last, tool_calls: [] };
    return step;
  }

  async #pace(signal: AbortSignal): Promise<void> {
    if (this.#paceMs > 0) await sleep(this.#paceMs, signal);
    else if (signal.aborted) throw cancelledError(signal);
  }
}

function readInput(turn: Turn, context: InferenceContext): DemoInput {
  let lastUser = -1;
  turn.blocks.forEach((block, index) => {
    if (block.kind === 'user') lastUser = index;
  });
  const userBlock = turn.blocks[lastUser];
  const prompt = userBlock?.kind === 'user' ? userBlock.payload.text : '';
  const after = turn.blocks.slice(lastUser + 1);
  let round = 0;
  for (let index = 0; index < after.length; index++) {
    if (after[index]?.kind === 'tool_call' && after[index - 1]?.kind !== 'tool_call') round++;
  }
  const names = new Map<string, string>();
  for (const block of after) if (block.kind === 'tool_call') names.set(block.payload.id, block.payload.name);
  const lastCallGroup = new Set<string>();
  for (let index = after.length - 1; index >= 0; index--) {
    const block = after[index];
    if (block?.kind === 'tool_call') lastCallGroup.add(block.payload.id);
    else if (lastCallGroup.size > 0) break;
  }
  const results = after.flatMap((block) =>
    block.kind === 'tool_use' && lastCallGroup.has(block.payload.id)
      ? [
          {
            name: names.get(block.payload.id) ?? 'tool',
            error: block.payload.error,
            ...(block.payload.result === undefined ? {} : { result: block.payload.result }),
          },
        ]
      : [],
  );
  return { prompt, round, tools: context.tools.map((tool) => tool.name), results };
}

function fillTemplate(template: string, input: DemoInput): string {
  const last = input.results.at(-1);
  return template
    .replaceAll('{{prompt}}', input.prompt)
    .replaceAll('{{tool_result}}', last?.result ?? '')
    .replaceAll('{{tool_error}}', last?.error ?? '');
}

/** Splits text into chunks of about `size` characters, preferring to cut after whitespace. */
export function splitChunks(text: string, size: number): string[] {
  const chunks: string[] = [];
  let index = 0;
  while (index < text.length) {
    let end = Math.min(text.length, index + size);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > index) end = space + 1;
    }
    chunks.push(text.slice(index, end));
    index = end;
  }
  return chunks;
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
