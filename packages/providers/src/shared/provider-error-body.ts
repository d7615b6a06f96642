import { z } from 'zod';

/** Default cap on how much of an error body is read (64 KiB): enough for any real error, bounded for a hostile one. */
export const defaultErrorBodyLimit = 64 * 1024;

/** What a provider error body says, in provider-neutral form. */
export interface ProviderErrorDetails {
  /** Human-readable message from the provider, if one was found. */
  message?: string;
  /** The provider's machine code or type (`rate_limit_exceeded`, `overloaded_error`, `RESOURCE_EXHAUSTED`). */
  code?: string;
}

const codeValue = z.union([z.string(), z.number()]).nullish();

// The shapes of the five providers' error bodies (and of their mid-stream error events):
//   OpenAI:    {"error": {"message", "type", "param", "code"}}
//   Anthropic: {"type": "error", "error": {"type", "message"}}
//   Gemini:    {"error": {"code": 400, "message", "status": "INVALID_ARGUMENT"}} (streamed calls wrap it in an array)
//   Ollama:    {"error": "model 'x' not found"}
// plus `{"message": "..."}` from assorted proxies and OpenAI-compatible servers.
const nestedErrorSchema = z.object({
  error: z.object({
    message: z.string().nullish(),
    type: z.string().nullish(),
    status: z.string().nullish(),
    code: codeValue,
  }),
});
const flatErrorSchema = z.object({ error: z.string() });
const messageOnlySchema = z.object({ message: z.string(), code: codeValue });

/**
 * Extracts the message and code from a provider error body (parsed JSON or text). Unknown JSON
 * shapes and empty bodies yield `{}`; text bodies yield their first 500 characters, trimmed.
 */
export function describeProviderErrorBody(body: unknown): ProviderErrorDetails {
  if (typeof body === 'string') {
    const text = body.trim();
    return text ? { message: text.length > 500 ? `${text.slice(0, 500)}…` : text } : {};
  }
  const candidate = Array.isArray(body) ? body[0] : body;
  const nested = nestedErrorSchema.safeParse(candidate);
  if (nested.success) {
    const { message, type, status, code } = nested.data.error;
    // Prefer a symbolic code: OpenAI's string `code`, Gemini's `status`, Anthropic's `type`, and only
    // then a bare number (Gemini repeats the HTTP status there).
    const symbolic = typeof code === 'string' ? code : (status ?? type ?? stringCode(code));
    return withoutEmpty(message ?? undefined, symbolic ?? undefined);
  }
  const flat = flatErrorSchema.safeParse(candidate);
  if (flat.success) return withoutEmpty(flat.data.error, undefined);
  const messageOnly = messageOnlySchema.safeParse(candidate);
  if (messageOnly.success) return withoutEmpty(messageOnly.data.message, stringCode(messageOnly.data.code));
  return {};
}

function stringCode(code: string | number | null | undefined): string | undefined {
  return code === null || code === undefined ? undefined : String(code);
}

function withoutEmpty(message: string | undefined, code: string | undefined): ProviderErrorDetails {
  const details: ProviderErrorDetails = {};
  if (message) details.message = message;
  if (code) details.code = code;
  return details;
}

/**
 * Reads at most `limit` bytes of a response body as text (the rest is discarded and the body
 * cancelled), then parses it as JSON when it is JSON. Never throws: a body that fails mid-read
 * yields what was read.
 */
export async function readErrorBody(
  body: ReadableStream<Uint8Array> | null,
  limit = defaultErrorBodyLimit,
): Promise<unknown> {
  if (!body) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    while (bytes < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const slice = value.byteLength + bytes > limit ? value.subarray(0, limit - bytes) : value;
      bytes += slice.byteLength;
      text += decoder.decode(slice, { stream: true });
    }
    text += decoder.decode();
  } catch {
    // A body that dies mid-read still tells us something: keep what arrived.
  } finally {
    reader.cancel().catch(() => {});
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      // Truncated or not JSON after all: fall through to text.
    }
  }
  return text;
}
