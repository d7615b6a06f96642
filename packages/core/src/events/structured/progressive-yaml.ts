import { parseDocument } from 'yaml';
import type { ZodType } from 'zod';
import { errorMessage } from '../../errors/cricket-error.js';
import { stripCodeFence } from './code-fence.js';
import { StructuredConfigError } from './structured-config-error.js';
import { utf8Length } from './utf8-length.js';

/** Options of {@link createProgressiveYamlParser}. */
export interface ProgressiveYamlOptions<T> {
  /** Validates (and may transform) each parsed value; without it values are `unknown`. */
  schema?: ZodType<T>;
  /** Re-parse once at least this many UTF-8 bytes arrived since the last parse. Off when absent. */
  everyBytes?: number;
  /** Re-parse when a pushed chunk contains a newline. Default true. */
  onNewline?: boolean;
  /** Largest accumulated payload in UTF-8 bytes; beyond it every result is `payload too large`. Unlimited when absent. */
  maxBytes?: number;
}

/** One parse outcome: exactly one of `value` and `error` is set. */
export interface ProgressiveYamlResult<T> {
  value?: T;
  error?: string;
}

/**
 * Parses a YAML payload as it streams in, e.g. from an {@link ExtractorSession}'s `onRaw`. Each parse covers
 * the whole accumulated buffer (a surrounding code fence is stripped first, see {@link stripCodeFence}), so
 * intermediate values may show a half-written last line; only {@link finish} sees the complete payload.
 */
export interface ProgressiveYamlParser<T> {
  /** Appends `chunk`; returns a result when a re-parse was due (see the options), otherwise undefined. */
  push(chunk: string): ProgressiveYamlResult<T> | undefined;
  /** Parses the complete buffer. Errors: `empty`, `payload too large`, YAML or schema messages. */
  finish(): ProgressiveYamlResult<T>;
  /** The text accumulated so far; emptied (and no longer grown) once `maxBytes` was exceeded. */
  readonly text: string;
}

/** Error when the accumulated payload went over `maxBytes`. */
export const payloadTooLargeError = 'payload too large';
/** Error when the payload (after stripping a code fence) is blank. */
export const emptyPayloadError = 'empty';

/** Creates a {@link ProgressiveYamlParser}. Throws {@link StructuredConfigError} for non-positive byte options. */
export function createProgressiveYamlParser<T>(
  options: ProgressiveYamlOptions<T> & { schema: ZodType<T> },
): ProgressiveYamlParser<T>;
export function createProgressiveYamlParser(
  options?: Omit<ProgressiveYamlOptions<unknown>, 'schema'>,
): ProgressiveYamlParser<unknown>;
export function createProgressiveYamlParser<T>(options: ProgressiveYamlOptions<T> = {}): ProgressiveYamlParser<T> {
  const { schema, everyBytes, maxBytes } = options;
  const onNewline = options.onNewline ?? true;
  for (const [name, value] of [
    ['everyBytes', everyBytes],
    ['maxBytes', maxBytes],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
      throw new StructuredConfigError('invalid-option', `${name} must be a positive integer`);
    }
  }
  let text = '';
  let bytes = 0;
  let sinceParse = 0;
  let tooLarge = false;

  const parse = (): ProgressiveYamlResult<T> => {
    sinceParse = 0;
    return tooLarge ? { error: payloadTooLargeError } : parseYamlPayload(text, schema);
  };

  return {
    push(chunk) {
      if (tooLarge) return { error: payloadTooLargeError };
      const size = utf8Length(chunk);
      if (maxBytes !== undefined && bytes + size > maxBytes) {
        tooLarge = true;
        // The oversized payload is never used, so it is released rather than kept growing.
        text = '';
        return { error: payloadTooLargeError };
      }
      text += chunk;
      bytes += size;
      sinceParse += size;
      const due = (onNewline && chunk.includes('\n')) || (everyBytes !== undefined && sinceParse >= everyBytes);
      return due ? parse() : undefined;
    },
    finish: parse,
    get text() {
      return text;
    },
  };
}

/**
 * Parses one complete YAML payload (code fence stripped) and validates it with `schema` when given.
 * Never throws: failures come back as `error`.
 */
export function parseYamlPayload<T>(payload: string, schema?: ZodType<T>): ProgressiveYamlResult<T> {
  const { body } = stripCodeFence(payload);
  if (body.trim() === '') return { error: emptyPayloadError };
  let value: unknown;
  try {
    const document = parseDocument(body);
    const [first] = document.errors;
    if (first) return { error: first.message };
    value = document.toJS();
  } catch (error) {
    // toJS can still fail (e.g. too many alias expansions); a bad payload must not throw into a stream.
    return { error: errorMessage(error) };
  }
  // Without a schema the public overloads fix T to unknown, so this cast claims nothing.
  if (!schema) return { value: value as T };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { value: parsed.data };
  return {
    error: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '),
  };
}
