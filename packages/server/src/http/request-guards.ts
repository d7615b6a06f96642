import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Security settings shared by HTTP routes and the WebSocket upgrade. */
export interface GuardOptions {
  /** When set, every API and WebSocket request must present `Authorization: Bearer <token>`. */
  authToken?: string;
  /**
   * Origins allowed besides the server's own (same-origin is always allowed). `*` allows every origin.
   * Requests without an `Origin` header (curl, server-to-server) are not browser cross-site requests
   * and pass.
   */
  allowedOrigins: readonly string[];
}

/** Outcome of a guard check. */
export type GuardResult =
  | { ok: true }
  | { ok: false; status: 401 | 403; code: 'unauthorized' | 'forbidden'; message: string };

/**
 * Checks the bearer token. The WebSocket upgrade may pass it as `access_token` in the query string,
 * because browsers cannot set headers on a WebSocket.
 */
export function checkAuth(
  options: GuardOptions,
  headers: IncomingHttpHeaders,
  queryToken?: string | null,
): GuardResult {
  if (!options.authToken) return { ok: true };
  const header = headers.authorization ?? '';
  const presented = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : (queryToken ?? '');
  if (presented && safeEqual(presented, options.authToken)) return { ok: true };
  return { ok: false, status: 401, code: 'unauthorized', message: 'missing or invalid bearer token' };
}

/** Checks the `Origin` of a state-changing request or WebSocket upgrade against same-origin and the allow list. */
export function checkOrigin(options: GuardOptions, headers: IncomingHttpHeaders): GuardResult {
  const origin = headers.origin;
  if (!origin || options.allowedOrigins.includes('*') || options.allowedOrigins.includes(origin)) return { ok: true };
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return { ok: false, status: 403, code: 'forbidden', message: `malformed Origin ${JSON.stringify(origin)}` };
  }
  const host = headers['x-forwarded-host'] ?? headers.host;
  if (typeof host === 'string' && host === originHost) return { ok: true };
  return {
    ok: false,
    status: 403,
    code: 'forbidden',
    message: `origin ${origin} is not allowed (use --allowed-origin to allow it)`,
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
