import type { ConversationSummary, TurnSnapshotRecord } from '@cricket/protocol';
import type { DebugFetch } from './debug-api.js';
import type { StepPause } from './debug-api-schemas.js';

/** What a {@link createFakeDebugServer} answers with; tests mutate it between steps. */
export interface FakeDebugState {
  /** `false` answers every debug route with 404, like a server started without `--debug-api`. */
  isEnabled: boolean;
  conversations: ConversationSummary[];
  currentSessionId: string;
  /** Oldest first (the fake returns them newest first, like the server). */
  snapshots: TurnSnapshotRecord[];
  events: { seq: number; type: string; id: string; inference_id?: string; data?: Record<string, unknown> }[];
  entities: { version: number; entity: Record<string, unknown> }[];
  pauses: StepPause[];
}

/** A request the fake received. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function notFound(message: string): Response {
  return json(404, { error: { code: 'not_found', message } });
}

/**
 * An in-memory stand-in for the server's debug API, shaped like its real responses, for component
 * tests. Step mode is recorded in `requests`; continuing a pause removes it.
 */
export function createFakeDebugServer(state: FakeDebugState): { fetch: DebugFetch; requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  const fetch: DebugFetch = async (input, init) => {
    const url = new URL(input, 'http://fake.test');
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    requests.push({ method, path: url.pathname, query: url.searchParams, body });
    if (!state.isEnabled) return notFound(`no route for ${method} ${url.pathname}`);
    const convId = url.searchParams.get('conv_id') ?? '';
    const route = `${method} ${url.pathname}`;
    if (route === 'GET /api/debug/conversations') return json(200, { items: state.conversations });
    const sessions = /^GET \/api\/debug\/conversations\/([^/]+)\/sessions$/.exec(route);
    if (sessions) {
      const id = decodeURIComponent(sessions[1] ?? '');
      const snapshots = state.snapshots.filter((snapshot) => snapshot.conv_id === id);
      return json(200, {
        conv_id: id,
        current_session_id: state.currentSessionId,
        items:
          snapshots.length === 0
            ? []
            : [
                {
                  session_id: state.currentSessionId,
                  first_ms: snapshots[0]?.created_at_ms ?? 0,
                  last_ms: snapshots.at(-1)?.created_at_ms ?? 0,
                  snapshots: snapshots.length,
                },
              ],
      });
    }
    if (route === 'GET /api/debug/turns') {
      const items = state.snapshots.filter((snapshot) => snapshot.conv_id === convId).reverse();
      return json(200, { conv_id: convId, session_id: url.searchParams.get('session_id') ?? '', phase: '', items });
    }
    if (route === 'GET /api/debug/events') {
      const since = Number(url.searchParams.get('since_seq') ?? 0);
      const items = state.events
        .filter((event) => event.seq > since)
        .map((event) => ({
          seq: event.seq,
          type: event.type,
          id: event.id,
          session_id: state.currentSessionId,
          inference_id: event.inference_id ?? '',
          turn_id: '',
          created_at_ms: 1_700_000_000_000 + event.seq,
          frame: {
            sem: true,
            event: { type: event.type, id: event.id, seq: event.seq, data: { id: event.id, ...event.data } },
          },
        }));
      return json(200, { conv_id: convId, items, last_seq: state.events.at(-1)?.seq ?? 0 });
    }
    if (route === 'GET /api/debug/timeline') {
      const version = Math.max(0, ...state.entities.map((item) => item.version));
      return json(200, { conv_id: convId, version, items: state.entities });
    }
    if (route === 'GET /api/debug/step') return json(200, { pending: state.pauses });
    if (route === 'POST /api/debug/step/enable' || route === 'POST /api/debug/step/disable') {
      return json(200, { ok: true, session_id: state.currentSessionId, conv_id: convId });
    }
    if (route === 'POST /api/debug/continue') {
      const pauseId = (body as { pause_id?: string } | undefined)?.pause_id;
      const pause = state.pauses.find((candidate) => candidate.pause_id === pauseId);
      if (!pause) return notFound(`unknown pause_id "${pauseId}"`);
      state.pauses = state.pauses.filter((candidate) => candidate !== pause);
      return json(200, { ok: true, pause });
    }
    return notFound(`no route for ${route}`);
  };
  return { fetch, requests };
}
