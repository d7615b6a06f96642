import type { TurnsResponse } from '@cricket/protocol';
import type { FastifyInstance } from 'fastify';
import { turnPayloadAsYaml } from '../conversations/turn-payload.js';
import { defaultTimelineLimit } from '../stores/timeline-store.js';
import { sendError } from './http-error.js';
import { rejectOtherMethods } from './method-not-allowed.js';
import { parseLenientUint, parsePositiveInt, queryString, type RouteContext } from './route-context.js';

const defaultTurnsLimit = 200;

/** `GET /timeline`, `GET /turns`, `GET /api/conversations` and `GET /healthz`. */
export function registerReadRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get('/timeline', (request, reply) => {
    const convId = queryString(request.query, 'conv_id');
    if (!convId) return sendError(reply, 400, 'missing_parameter', 'missing conv_id');
    // Sent as the store's JSON text: a 10k-entity page is not decoded and re-encoded on every read.
    const body = context.services.timeline.snapshotJson(convId, {
      sinceVersion: parseLenientUint(queryString(request.query, 'since_version')),
      limit: parsePositiveInt(queryString(request.query, 'limit'), defaultTimelineLimit),
    });
    return reply.type('application/json; charset=utf-8').send(body);
  });
  rejectOtherMethods(app, '/timeline', ['GET']);

  app.get('/turns', (request, reply) => {
    const convId = queryString(request.query, 'conv_id');
    const sessionId = queryString(request.query, 'session_id');
    if (!convId && !sessionId) return sendError(reply, 400, 'missing_parameter', 'missing conv_id or session_id');
    const phase = queryString(request.query, 'phase');
    const sinceText = queryString(request.query, 'since_ms');
    const sinceMs = sinceText ? Number(sinceText) : 0;
    if (!Number.isFinite(sinceMs))
      return sendError(reply, 400, 'invalid_parameter', `since_ms must be a number, got ${JSON.stringify(sinceText)}`);
    const items = context.services.turns.list({
      ...(convId ? { convId } : {}),
      ...(sessionId ? { sessionId } : {}),
      ...(phase ? { phase } : {}),
      ...(sinceMs > 0 ? { sinceMs } : {}),
      limit: parsePositiveInt(queryString(request.query, 'limit'), defaultTurnsLimit),
    });
    const body: TurnsResponse = {
      conv_id: convId,
      session_id: sessionId,
      phase,
      since_ms: Math.max(sinceMs, 0),
      items: items.map((item) => ({ ...item, payload: turnPayloadAsYaml(item.payload) })),
    };
    return reply.send(body);
  });
  rejectOtherMethods(app, '/turns', ['GET']);

  app.get('/api/conversations', (request, reply) => {
    const limit = parsePositiveInt(queryString(request.query, 'limit'), 200);
    return reply.send({ items: context.manager.list(limit) });
  });
  rejectOtherMethods(app, '/api/conversations', ['GET']);

  app.get('/healthz', (_request, reply) => {
    if (context.isShuttingDown()) return reply.code(503).send({ status: 'shutting-down' });
    return reply.send({ status: 'ok' });
  });
}
