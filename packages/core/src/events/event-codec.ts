import { errorMessage } from '../errors/cricket-error.js';
import { EventDecodeError } from '../errors/event-decode-error.js';
import { type InferenceEvent, inferenceEventSchema } from './inference-event.js';

/**
 * Encodes an event as one line of JSON: `{type, meta, ...fields}` (the NDJSON wire format).
 */
export function encodeEvent(event: InferenceEvent): string {
  return JSON.stringify(event);
}

/**
 * Decodes JSON text (or an already parsed object) back into the typed union. Throws
 * {@link EventDecodeError} for invalid JSON, an unknown `type`, or fields that do not fit the type.
 */
export function decodeEvent(input: string | unknown): InferenceEvent {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new EventDecodeError(`event is not valid JSON: ${errorMessage(error)}`, { cause: error });
    }
  }
  const parsed = inferenceEventSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const type = (value as { type?: unknown } | null)?.type;
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new EventDecodeError(`cannot decode event of type ${JSON.stringify(type)}: ${detail}`, { cause: parsed.error });
}
