import { createHash, randomUUID } from 'node:crypto';
import { chatRequestSchema, maxIdempotencyKeyLength, stopRequestSchema } from '@cricket/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { applyOverrides } from '../profiles/apply-overrides.js';
import { HttpError, sendError } from './http-error.js';
import { rejectOtherMethods } from './method-not-allowed.js';
import { checkOrigin } from './request-guards.js';
import { profileCookie, type RouteContext, readCookie } from './route-context.js';

/** `POST /chat`, `POST /chat/{profile}` and `POST /api/chat/stop`. */
export function registerChatRoutes(app: FastifyInstance, context: RouteContext): void {
  const handler = (request: FastifyRequest, reply: FastifyReply) => handleChat(request, reply, context);
  app.post('/chat', handler);
  app.post('/chat/*', handler);
  rejectOtherMethods(app, '/chat', ['POST']);
  rejectOtherMethods(app, '/chat/*', ['POST']);

  app.post('/api/chat/stop', (request, reply) => {
    const origin = checkOrigin(context.guards, request.headers);
    if (!origin.ok) return sendError(reply, origin.status, origin.code, origin.message);
    const body = stopRequestSchema.safeParse(request.body);
    if (!body.success)
      return sendError(reply, 400, 'missing_parameter', 'body must be {"conv_id": "<conversation id>"}');
    const convId = body.data.conv_id.trim();
    const runtime = context.manager.get(convId);
    if (!runtime)
      return sendError(reply, 404, 'unknown_conversation', `unknown conversation ${JSON.stringify(convId)}`);
    const outcome = runtime.stop();
    return reply.send({
      conv_id: convId,
      stopped: outcome.stopped,
      ...(outcome.inferenceId ? { inference_id: outcome.inferenceId } : {}),
    });
  });
  rejectOtherMethods(app, '/api/chat/stop', ['POST']);
}

function handleChat(request: FastifyRequest, reply: FastifyReply, context: RouteContext) {
  const origin = checkOrigin(context.guards, request.headers);
  if (!origin.ok) return sendError(reply, origin.status, origin.code, origin.message);
  if (context.isShuttingDown()) return sendError(reply, 503, 'unavailable', 'the server is shutting down');
  const parsed = chatRequestSchema.safeParse(request.body ?? null);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
    return sendError(reply, 400, 'bad_request', `invalid chat request: ${detail}`);
  }
  const body = parsed.data;
  const prompt = body.prompt || body.text || '';
  const { maxPromptChars } = context.services.limits;
  if (prompt.length > maxPromptChars) {
    return sendError(
      reply,
      413,
      'payload_too_large',
      `prompt is ${prompt.length} characters; the limit is ${maxPromptChars}`,
    );
  }
  const idempotencyKey = readIdempotencyKey(request, body.idempotency_key);
  // Fix: a known key is answered by the conversation that owns its record. Resolving the body's
  // conv_id (or a fresh UUID when a retry omits it) first created an empty phantom conversation on
  // every replay or 422.
  const previous = context.services.requests.get(idempotencyKey);
  const convId = previous?.convId ?? (body.conv_id?.trim() || randomUUID());
  const profileSlug = resolveProfile(request, context, convId);
  const profile = context.services.profiles.get(profileSlug);
  if (!profile) return sendError(reply, 404, 'unknown_profile', `unknown profile ${JSON.stringify(profileSlug)}`);
  const availability = context.services.profiles.availability(profile.slug);
  if (availability && !availability.available) {
    return sendError(reply, 503, 'unavailable', `profile "${profile.slug}" is unavailable: ${availability.reason}`);
  }
  try {
    applyOverrides(profile, body.overrides);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const status = code === 'overrides-not-allowed' ? 403 : 400;
    return sendError(reply, status, status === 403 ? 'forbidden' : 'invalid_parameter', (error as Error).message);
  }
  // Fix: the profile is part of the request (the record's contract says so): the same key sent to
  // another profile is a different request (422), not a replay of an answer from the first profile.
  const requestHash = createHash('sha256')
    .update(
      JSON.stringify({
        prompt,
        conv_id: body.conv_id?.trim() ?? '',
        profile: profile.slug,
        overrides: body.overrides ?? null,
      }),
    )
    .digest('hex');

  // One commit for everything a request writes (conversation, request record), not one per statement.
  const outcome = context.services.transaction(() =>
    context.manager.getOrCreate(convId, profile.slug).submit({
      prompt,
      profile: profile.slug,
      idempotencyKey,
      requestHash,
      ...(body.overrides ? { overrides: body.overrides } : {}),
    }),
  );
  switch (outcome.kind) {
    case 'started':
      return reply.code(200).send(outcome.response);
    case 'queued':
      return reply.code(202).send(outcome.response);
    case 'replayed':
      return reply.code(outcome.httpStatus).send(outcome.response);
    case 'conflict':
      return sendError(reply, 422, 'idempotency_conflict', outcome.message);
    case 'queue-full':
      return sendError(reply, 429, 'queue_full', outcome.message);
    case 'unavailable':
      return sendError(reply, 503, 'unavailable', outcome.message);
    case 'failed':
      return sendError(reply, 500, 'internal_error', `start session inference failed: ${outcome.message}`);
  }
}

/** Key from `Idempotency-Key`, then `X-Idempotency-Key`, then the body; a new UUID when none. */
function readIdempotencyKey(request: FastifyRequest, fromBody: string | undefined): string {
  const header = (name: string) => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
  };
  const key = header('idempotency-key') || header('x-idempotency-key') || fromBody?.trim() || '';
  if (key.length > maxIdempotencyKeyLength) {
    throw new HttpError(
      400,
      'invalid_parameter',
      `idempotency key is longer than ${maxIdempotencyKeyLength} characters`,
    );
  }
  return key || randomUUID();
}

/** Path segment after `/chat/` → the live conversation's profile → cookie → the default profile. */
function resolveProfile(request: FastifyRequest, context: RouteContext, convId: string): string {
  const path = request.url.split('?')[0] ?? '';
  const index = path.indexOf('/chat/');
  const fromPath = index >= 0 ? decodeURIComponent(path.slice(index + 6).split('/')[0] ?? '') : '';
  if (fromPath) return fromPath;
  const existing = context.services.conversations.get(convId)?.profile;
  if (existing) return existing;
  return readCookie(request.headers.cookie, profileCookie) || context.services.profiles.defaultSlug;
}
