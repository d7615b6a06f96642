import type { ApiError, ApiErrorCode } from '@cricket/protocol';
import type { FastifyReply } from 'fastify';

/** An error with its HTTP status and API code; thrown by handlers and rendered as `{"error": {...}}`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Writes the JSON error body. */
export function sendError(reply: FastifyReply, status: number, code: ApiErrorCode, message: string): FastifyReply {
  const body: ApiError = { error: { code, message } };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
