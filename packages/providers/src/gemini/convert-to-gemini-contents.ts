import type { Block, ImageRef, ToolUseBlock, UserBlock } from '@cricket/core';
import { type GeminiThoughtSignature, readGeminiSignature } from './gemini-thought-signature.js';

/** A text part; `thoughtSignature` is replayed exactly where the model sent it. */
export interface GeminiTextPart {
  text: string;
  thoughtSignature?: string;
}

/** A function call the model made, replayed in a `model` turn. */
export interface GeminiFunctionCallPart {
  functionCall: { name: string; args: Record<string, unknown>; id: string };
  thoughtSignature?: string;
}

/** A tool result, sent in a `user` turn. `response` is always a JSON object. */
export interface GeminiFunctionResponsePart {
  functionResponse: { name: string; response: Record<string, unknown>; id: string };
}

/** One request part. */
export type GeminiPart =
  | GeminiTextPart
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType: string; fileUri: string } }
  | GeminiFunctionCallPart
  | GeminiFunctionResponsePart;

/** One turn of `contents`: Gemini has exactly two roles. */
export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

/** The converted conversation plus problems worth telling the user about (published as `log` events). */
export interface ConvertedGeminiContents {
  contents: GeminiContent[];
  /** `systemInstruction`, absent when the turn has no system text. */
  systemInstruction?: { parts: GeminiTextPart[] };
  warnings: string[];
}

/** The model turn being assembled, with the signature of the engine call that produced it. */
interface ModelTurn {
  parts: GeminiPart[];
  signature?: GeminiThoughtSignature;
}

/**
 * Maps a turn's blocks to Gemini `contents` with real roles (the reference flattened everything,
 * system prompt included, into one role-less part list):
 * - `system` blocks → `systemInstruction.parts` (in order, wherever they appear);
 * - `user` → a `user` turn: the text part, then images (`inlineData` for base64 content and `data:`
 *   URLs, `fileData` for other URLs);
 * - `llm_text` / `other` with text → text parts of a `model` turn; `tool_call` → a `functionCall`
 *   part `{name, args, id}` in the same turn (arguments that are not a JSON object are sent as `{}`
 *   with a warning);
 * - `tool_use` → a `functionResponse` part `{name, response, id}` in a `user` turn, the name taken
 *   from the matching call; `response` is the JSON result when it is an object, `{result: value}`
 *   otherwise, and `{error, result?}` for a failed call. Results without a matching call are dropped
 *   with a warning (Gemini requires the function name);
 * - `reasoning` → not replayed as text (thought summaries are output only), but a Gemini thought
 *   signature on it (see `gemini-thought-signature.ts`) is put back on the part it came with: the
 *   recorded function call, else the first call, else the last text part of that model turn.
 *
 * Adjacent turns of the same role are merged, since Gemini expects alternating turns.
 */
export function convertToGeminiContents(blocks: readonly Block[]): ConvertedGeminiContents {
  const contents: GeminiContent[] = [];
  const systemParts: GeminiTextPart[] = [];
  const warnings: string[] = [];
  const callNames = new Map<string, string>();
  let model: ModelTurn | undefined;

  const push = (role: GeminiContent['role'], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  const flushModel = () => {
    if (!model) return;
    const { parts, signature } = model;
    model = undefined;
    if (signature) attachSignature(parts, signature);
    push('model', parts);
  };
  const modelParts = (): GeminiPart[] => {
    model ??= { parts: [] };
    return model.parts;
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'system': {
        const text = textOf(block.payload.text);
        if (text.trim()) systemParts.push({ text });
        break;
      }
      case 'user':
        flushModel();
        push('user', userParts(block));
        break;
      case 'llm_text':
      case 'other': {
        const text = textOf(block.payload.text);
        if (text.trim()) modelParts().push({ text });
        break;
      }
      case 'reasoning': {
        // A reasoning block opens the output of one engine call: its signature belongs to the
        // parts that follow it, up to the next user or tool turn.
        flushModel();
        const signature = readGeminiSignature(block.payload);
        if (signature) model = { parts: [], signature };
        break;
      }
      case 'tool_call': {
        const { id, name } = block.payload;
        const args = callArguments(block.payload.args);
        if (!args) warnings.push(`tool call ${id} (${name}) has arguments that are not a JSON object; sent as {}`);
        modelParts().push({ functionCall: { name, args: args ?? {}, id } });
        callNames.set(id, name);
        break;
      }
      case 'tool_use': {
        flushModel();
        const name = callNames.get(block.payload.id);
        if (!name) {
          warnings.push(`tool result ${block.payload.id} has no matching tool call; it was not sent`);
          break;
        }
        push('user', [{ functionResponse: { name, response: toolResponse(block), id: block.payload.id } }]);
        break;
      }
    }
  }
  flushModel();
  return {
    contents,
    ...(systemParts.length > 0 ? { systemInstruction: { parts: systemParts } } : {}),
    warnings,
  };
}

function attachSignature(parts: GeminiPart[], signature: GeminiThoughtSignature): void {
  if (parts.length === 0) return;
  const calls = parts.filter((part): part is GeminiFunctionCallPart => 'functionCall' in part);
  const texts = parts.filter((part): part is GeminiTextPart => 'text' in part);
  const target =
    calls.find((part) => signature.callId !== undefined && part.functionCall.id === signature.callId) ??
    calls[0] ??
    texts.at(-1);
  if (target) target.thoughtSignature = signature.signature;
}

function userParts(block: UserBlock): GeminiPart[] {
  const parts: GeminiPart[] = [];
  const text = textOf(block.payload.text);
  if (text.trim()) parts.push({ text });
  for (const image of block.payload.images ?? []) parts.push(imagePart(image));
  return parts;
}

function imagePart(image: ImageRef): GeminiPart {
  if ('content' in image) return { inlineData: { mimeType: image.media_type, data: image.content } };
  // A `data:` URL is inline data in disguise; Gemini only fetches `fileUri`s it can reach.
  const inline = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(image.url);
  if (inline) return { inlineData: { mimeType: inline[1] ?? image.media_type, data: inline[2] ?? '' } };
  return { fileData: { mimeType: image.media_type, fileUri: image.url } };
}

// Payloads loaded from YAML can hold non-strings where text is expected; send them as JSON.
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Gemini's `args` is a protobuf Struct: a JSON object. Raw argument text (kept by the engine when
// a model wrote invalid JSON) is parsed when it holds an object.
function callArguments(args: unknown): Record<string, unknown> | undefined {
  if (args === undefined || args === null) return {};
  if (isPlainObject(args)) return args;
  if (typeof args !== 'string') return undefined;
  if (args.trim() === '') return {};
  const parsed = parseJson(args);
  return isPlainObject(parsed) ? parsed : undefined;
}

function toolResponse(block: ToolUseBlock): Record<string, unknown> {
  const { result, error } = block.payload;
  const value = result === undefined || result === '' ? undefined : parseJson(result);
  if (error) return value === undefined ? { error } : { error, result: value };
  if (isPlainObject(value)) return value;
  return { result: value ?? null };
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
