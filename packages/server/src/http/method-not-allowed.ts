import type { FastifyInstance, HTTPMethods } from 'fastify';
import { sendError } from './http-error.js';

const allMethods: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Answers 405 (with an `Allow` header) for every method of `path` except `allowed`. */
export function rejectOtherMethods(app: FastifyInstance, path: string, allowed: readonly HTTPMethods[]): void {
  const permitted = new Set<HTTPMethods>(allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed);
  const others = allMethods.filter((method) => !permitted.has(method));
  app.route({
    method: others,
    url: path,
    handler: (_request, reply) => {
      reply.header('allow', [...permitted].join(', '));
      return sendError(reply, 405, 'method_not_allowed', `method not allowed; use ${allowed.join(' or ')}`);
    },
  });
}
