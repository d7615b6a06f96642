import type { FastifyInstance } from 'fastify';
import { turnPayloadAsYaml } from '../conversations/turn-payload.js';
import { sendError } from './http-error.js';
import { rejectOtherMethods } from './method-not-allowed.js';
import { checkOrigin } from './request-guards.js';
import { parseLenientUint, parsePositiveInt, queryString, type RouteContext } from './route-context.js';

/**
 * The debug API under `/api/debug/` (only registered when enabled): conversations, sessions, turn
 * snapshots, the ordered event log, the timeline, and step-mode control.
 */
export function registerDebugRoutes(app: FastifyInstance, context: RouteContext): void {
  const { services } = context;

  app.get('/api/debug/conversations', (request, reply) =>
    reply.send({ items: context.manager.list(parsePositiveInt(queryString(request.query, 'limit'), 200)) }),
  );

  app.get('/api/debug/conversations/:convId/sessions', (request, reply) => {
    const { convId } = request.params as { convId: string };
    const record = services.conversations.get(convId);
    if (!record) return sendError(reply, 404, 'unknown_conversation', `unknown conversation ${JSON.stringify(convId)}`);
    return reply.send({
      conv_id: convId,
      current_session_id: record.sessionId,
      items: services.turns.sessions(convId),
    });
  });

  app.get('/api/debug/turns', (request, reply) => {
    const convId = queryString(request.query, 'conv_id');
    const sessionId = queryString(request.query, 'session_id');
    if (!convId && !sessionId) return sendError(reply, 400, 'missing_parameter', 'missing conv_id or session_id');
    const phase = queryString(request.query, 'phase');
    const items = services.turns.list({
      ...(convId ? { convId } : {}),
      ...(sessionId ? { sessionId } : {}),
      ...(phase ? { phase } : {}),
      limit: parsePositiveInt(queryString(request.query, 'limit'), 500),
    });
    return reply.send({
      conv_id: convId,
      session_id: sessionId,
      phase,
      items: items.map((item) => ({ ...item, payload: turnPayloadAsYaml(item.payload) })),
    });
  });

  app.get('/api/debug/events', (request, reply) => {
    const convId = queryString(request.query, 'conv_id');
    if (!convId) return sendError(reply, 400, 'missing_parameter', 'missing conv_id');
    const types = queryString(request.query, 'type');
    const inferenceId = queryString(request.query, 'inference_id');
    const frames = services.eventLog.read(convId, {
      sinceSeq: parseLenientUint(queryString(request.query, 'since_seq')),
      limit: Math.min(parsePositiveInt(queryString(request.query, 'limit'), 1000), 10_000),
      ...(types ? { types: types.split(',').map((type) => type.trim()) } : {}),
      ...(inferenceId ? { inferenceId } : {}),
    });
    const items = frames.map((frame) => ({
      seq: frame.seq,
      type: frame.type,
      id: frame.entityId,
      session_id: frame.sessionId ?? '',
      inference_id: frame.inferenceId ?? '',
      turn_id: frame.turnId ?? '',
      created_at_ms: frame.createdAtMs,
      frame: JSON.parse(frame.frame) as unknown,
    }));
    return reply.send({ conv_id: convId, items, last_seq: services.eventLog.lastSeq(convId) });
  });

  app.get('/api/debug/timeline', (request, reply) => {
    const convId = queryString(request.query, 'conv_id');
    if (!convId) return sendError(reply, 400, 'missing_parameter', 'missing conv_id');
    const entities = services.timeline.entities(convId).map(({ entity, version }) => ({ version, entity }));
    return reply.send({ conv_id: convId, version: services.timeline.version(convId), items: entities });
  });

  app.get('/api/debug/step', (_request, reply) =>
    reply.send({
      pending: services.stepController.pending().map((pause) => ({
        pause_id: pause.pauseId,
        session_id: pause.sessionId,
        phase: pause.phase,
        summary: pause.summary,
        deadline_ms: pause.deadlineMs,
        extra: pause.extra,
      })),
    }),
  );

  // Fix: every state-changing debug route checks the Origin first (disable and continue did not check
  // it at all, so any web page could release or resume a paused inference).
  app.post('/api/debug/step/enable', (request, reply) => {
    const origin = checkOrigin(context.guards, request.headers);
    if (!origin.ok) return sendError(reply, origin.status, origin.code, origin.message);
    const target = resolveSession(request.body, context);
    if ('error' in target) return sendError(reply, 400, 'missing_parameter', target.error);
    services.stepController.enable(target.sessionId, target.convId ? { conversation_id: target.convId } : {});
    return reply.send({ ok: true, session_id: target.sessionId, conv_id: target.convId ?? '' });
  });

  app.post('/api/debug/step/disable', (request, reply) => {
    const origin = checkOrigin(context.guards, request.headers);
    if (!origin.ok) return sendError(reply, origin.status, origin.code, origin.message);
    const target = resolveSession(request.body, context);
    if ('error' in target) return sendError(reply, 400, 'missing_parameter', target.error);
    services.stepController.disable(target.sessionId);
    return reply.send({ ok: true, session_id: target.sessionId });
  });

  app.post('/api/debug/continue', (request, reply) => {
    const origin = checkOrigin(context.guards, request.headers);
    if (!origin.ok) return sendError(reply, origin.status, origin.code, origin.message);
    const body = (request.body ?? {}) as { pause_id?: unknown; conv_id?: unknown };
    const pauseId = typeof body.pause_id === 'string' ? body.pause_id.trim() : '';
    if (!pauseId) return sendError(reply, 400, 'missing_parameter', 'missing pause_id');
    const pause = services.stepController.lookup(pauseId);
    if (!pause) return sendError(reply, 404, 'not_found', `unknown pause_id ${JSON.stringify(pauseId)}`);
    const convId = typeof body.conv_id === 'string' ? body.conv_id.trim() : '';
    if (convId && pause.extra.conversation_id !== undefined && pause.extra.conversation_id !== convId) {
      return sendError(reply, 403, 'forbidden', 'pause does not belong to this conversation');
    }
    services.stepController.continue(pauseId);
    return reply.send({
      ok: true,
      pause: {
        pause_id: pause.pauseId,
        phase: pause.phase,
        summary: pause.summary,
        deadline_ms: pause.deadlineMs,
        session_id: pause.sessionId,
        extra: pause.extra,
      },
    });
  });

  for (const path of ['/api/debug/step/enable', '/api/debug/step/disable', '/api/debug/continue'])
    rejectOtherMethods(app, path, ['POST']);
}

function resolveSession(
  body: unknown,
  context: RouteContext,
): { sessionId: string; convId?: string } | { error: string } {
  const fields = (body ?? {}) as { session_id?: unknown; conv_id?: unknown };
  const convId = typeof fields.conv_id === 'string' ? fields.conv_id.trim() : '';
  let sessionId = typeof fields.session_id === 'string' ? fields.session_id.trim() : '';
  if (!sessionId && convId) sessionId = context.services.conversations.get(convId)?.sessionId ?? '';
  if (!sessionId) return { error: 'missing session_id (or unknown conv_id)' };
  return convId ? { sessionId, convId } : { sessionId };
}
