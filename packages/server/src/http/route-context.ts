import type { ConversationManager } from '../conversations/conversation-manager.js';
import type { ServerServices } from '../conversations/server-services.js';
import type { GuardOptions } from './request-guards.js';

/** What route modules receive. */
export interface RouteContext {
  services: ServerServices;
  manager: ConversationManager;
  guards: GuardOptions;
  /** True once shutdown began: new work is refused with 503. */
  isShuttingDown: () => boolean;
  /** Whether the `/api/debug/` routes exist. */
  debugApi: boolean;
}

/** Name of the cookie that remembers the selected profile. */
export const profileCookie = 'chat_profile';

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(rest.join('='));
      } catch {
        return rest.join('=');
      }
    }
  }
  return undefined;
}

/** A query parameter as a trimmed string (first value when repeated). */
export function queryString(query: unknown, name: string): string {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** Lenient unsigned parse (leading digits; garbage or negative → 0), as the reference's `since_version`. */
export function parseLenientUint(text: string): number {
  const match = /^\d+/.exec(text);
  if (!match) return 0;
  const value = Number(match[0]);
  return Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER;
}

/** A positive integer, or `fallback` for anything else. */
export function parsePositiveInt(text: string, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
