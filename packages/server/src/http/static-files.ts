import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from './http-error.js';

/** Paths of the API; they never fall back to the page (an unknown API route is a JSON 404). */
const apiPath = /^(chat|timeline|turns|api|ws)(\/|$)/;

/**
 * Serves the built web UI from `directory` inside `app`'s scope:
 * - a file by its path, with an `ETag` (a matching `If-None-Match` gets 304) and `Last-Modified`;
 *   `foo.js.br` / `foo.js.gz` siblings, written by the UI build, are sent instead when the request's
 *   `Accept-Encoding` allows (`Vary: Accept-Encoding`);
 * - `assets/*` (content-hashed names) cached for a year as immutable; everything else revalidated
 *   on every use (`no-cache`), so a new build shows up on the next reload;
 * - `index.html` for any other GET without a file extension (client-side routes such as `/c/<id>`
 *   or `/debug`); a missing file with an extension, a hidden file, or an API path is a JSON 404.
 */
export async function registerStaticFiles(app: FastifyInstance, directory: string): Promise<void> {
  const root = normalize(directory + sep);
  await app.register(fastifyStatic, {
    root,
    serve: false,
    preCompressed: true,
    cacheControl: false,
    dotfiles: 'deny',
    setHeaders: (response, path) => {
      const immutable = path.startsWith(join(root, 'assets') + sep);
      response.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      // The body depends on Accept-Encoding wherever a compressed sibling exists; caches must know.
      response.setHeader('vary', 'Accept-Encoding');
    },
  });
  app.get('/*', (request, reply) => {
    // Already percent-decoded by the router (a malformed URL never gets here: see `frameworkErrors`).
    const relative = (request.params as { '*': string })['*'] ?? '';
    if (apiPath.test(relative)) return sendError(reply, 404, 'not_found', `no route for GET /${relative}`);
    // Hidden files (`.env`, `.git/…`) are never served, nor named as existing.
    if (relative.split(/[\\/]/).some((segment) => segment.startsWith('.') && segment !== '.'))
      return sendError(reply, 404, 'not_found', `no file /${relative}`);
    const candidate = normalize(join(root, relative));
    if (relative && candidate.startsWith(root) && isFile(candidate))
      return reply.sendFile(candidate.slice(root.length));
    if (extname(relative)) return sendError(reply, 404, 'not_found', `no file /${relative}`);
    if (!isFile(join(root, 'index.html'))) return sendError(reply, 404, 'not_found', 'the web UI is not built');
    return reply.sendFile('index.html');
  });
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
