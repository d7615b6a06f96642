import { z } from 'zod';

/** Machine-readable error codes of the HTTP API. */
export const apiErrorCodeSchema = z.enum([
  'bad_request',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'missing_parameter',
  'invalid_parameter',
  'method_not_allowed',
  'not_found',
  'unknown_profile',
  'unknown_conversation',
  'forbidden',
  'unauthorized',
  'idempotency_conflict',
  'queue_full',
  'not_enabled',
  'internal_error',
  'unavailable',
]);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

/** Every HTTP error body: `{"error": {"code", "message"}}`. */
export const apiErrorSchema = z.object({ error: z.object({ code: apiErrorCodeSchema, message: z.string() }) });
export type ApiError = z.infer<typeof apiErrorSchema>;
