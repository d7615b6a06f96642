import { type CurrentProfile, type ProfileSummary, selectProfileRequestSchema } from '@cricket/protocol';
import type { FastifyInstance } from 'fastify';
import { sendError } from './http-error.js';
import { rejectOtherMethods } from './method-not-allowed.js';
import { checkOrigin } from './request-guards.js';
import { profileCookie, type RouteContext, readCookie } from './route-context.js';

/** `GET /api/chat/profiles` and `GET|POST /api/chat/profile` (cookie `chat_profile`). */
export function registerProfileRoutes(app: FastifyInstance, context: RouteContext): void {
  const { profiles } = context.services;

  app.get('/api/chat/profiles', (_request, reply) => {
    const list: ProfileSummary[] = profiles.list().map((profile) => {
      const availability = profiles.availability(profile.slug);
      return {
        slug: profile.slug,
        default_prompt: profile.systemPrompt,
        provider: profile.engine.provider,
        model: profile.engine.model,
        ...(profile.engine.provider === 'scripted' ? { offline: true } : {}),
        available: availability?.available ?? true,
        ...(availability && !availability.available ? { reason: availability.reason } : {}),
      };
    });
    return reply.send(list);
  });
  rejectOtherMethods(app, '/api/chat/profiles', ['GET']);

  app.get('/api/chat/profile', (request, reply) => {
    const fromCookie = readCookie(request.headers.cookie, profileCookie);
    const slug = fromCookie && profiles.get(fromCookie) ? fromCookie : profiles.defaultSlug;
    const body: CurrentProfile = { slug, profile: '' };
    return reply.send(body);
  });

  app.post('/api/chat/profile', (request, reply) => {
    const origin = checkOrigin(context.guards, request.headers);
    if (!origin.ok) return sendError(reply, origin.status, origin.code, origin.message);
    const parsed = selectProfileRequestSchema.safeParse(request.body ?? null);
    if (!parsed.success) return sendError(reply, 400, 'bad_request', 'body must be {"slug": "<profile>"}');
    const slug = (parsed.data.slug || parsed.data.profile || '').trim();
    if (!slug) return sendError(reply, 400, 'missing_parameter', 'missing profile slug');
    if (!profiles.get(slug)) return sendError(reply, 404, 'unknown_profile', `profile not found: ${slug}`);
    reply.header('set-cookie', `${profileCookie}=${encodeURIComponent(slug)}; Path=/; SameSite=Lax`);
    const body: CurrentProfile = { slug, profile: '' };
    return reply.send(body);
  });
  rejectOtherMethods(app, '/api/chat/profile', ['GET', 'POST']);
}
