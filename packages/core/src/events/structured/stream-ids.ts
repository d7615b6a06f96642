import type { EventMetadata } from '../event-metadata.js';
import type { InferenceEvent } from '../inference-event.js';

const filledIds = ['session_id', 'inference_id', 'turn_id'] as const;

/**
 * Returns `event` with an empty or missing `message_id`, `session_id`, `inference_id` or `turn_id` taken
 * from `meta`; ids the extractor set are kept. The input is not modified.
 */
export function withStreamIds(event: InferenceEvent, meta: EventMetadata): InferenceEvent {
  const filled: EventMetadata = { ...event.meta, message_id: event.meta.message_id || meta.message_id };
  for (const key of filledIds) {
    const value = meta[key];
    if (!filled[key] && value !== undefined) filled[key] = value;
  }
  return { ...event, meta: filled };
}
