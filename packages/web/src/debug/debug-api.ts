import {
  apiErrorSchema,
  type ConversationSummary,
  type SemEnvelope,
  semEnvelopeSchema,
  type TimelineEntity,
  type TurnSnapshotRecord,
  timelineEntitySchema,
} from '@cricket/protocol';
import type { z } from 'zod';
import {
  continueSchema,
  type DebugSessions,
  debugConversationsSchema,
  debugEventsSchema,
  debugSessionsSchema,
  debugTimelineSchema,
  debugTurnsSchema,
  type StepPause,
  stepPendingSchema,
  stepToggleSchema,
} from './debug-api-schemas.js';

/** Why a debug API call failed: the API is not enabled, an HTTP error, no answer, or an unreadable body. */
export type DebugApiErrorKind = 'off' | 'http' | 'network' | 'invalid';

/** A failed debug API call, with the HTTP status and the server's error code when there was a response. */
export class DebugApiError extends Error {
  override readonly name = 'DebugApiError';
  readonly kind: DebugApiErrorKind;
  readonly status: number;
  readonly code: string;

  constructor(kind: DebugApiErrorKind, message: string, status = 0, code = '', options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.status = status;
    this.code = code;
  }
}

/** One entry of the event log; `envelope` is absent when the stored frame is not a valid SEM envelope. */
export interface DebugEvent {
  seq: number;
  type: string;
  /** The frame's entity id (message, tool call, ...). */
  id: string;
  sessionId: string;
  inferenceId: string;
  turnId: string;
  createdAtMs: number;
  envelope: SemEnvelope | undefined;
  /** The frame as stored, for the raw view. */
  frame: unknown;
  /** Why `envelope` is missing. */
  frameError?: string;
}

/** One timeline entity with the version (seq) of its last write; `entity` is absent when it does not validate. */
export interface DebugEntity {
  version: number;
  id: string;
  kind: string;
  /** Seq of the frame that created the entity (0 when unknown). */
  createdVersion: number;
  entity: TimelineEntity | undefined;
  raw: unknown;
  error?: string;
}

/** A page of the event log. */
export interface DebugEventPage {
  events: DebugEvent[];
  lastSeq: number;
}

/** The timeline of a conversation. */
export interface DebugTimeline {
  version: number;
  entities: DebugEntity[];
}

/** The part of `fetch` the debug API uses. */
export type DebugFetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Settings of {@link DebugApi}. */
export interface DebugApiOptions {
  /** Path prefix the server is mounted under (`''` at the root, `/prefix` under `--root /prefix/`). */
  basePath?: string;
  /** Bearer token for servers started with `--auth-token`. */
  authToken?: string;
  fetch?: DebugFetch;
}

/**
 * The mount prefix of the server, read from the debug page's own path: `/debug` → `''`,
 * `/prefix/debug/` → `/prefix`.
 */
export function basePathFromLocation(pathname: string): string {
  const match = /^(.*?)\/debug\/?$/.exec(pathname);
  return match ? (match[1] ?? '') : '';
}

/** Typed calls of `/api/debug/*`; every body is validated, every failure is a {@link DebugApiError}. */
export class DebugApi {
  readonly #basePath: string;
  readonly #authToken: string | undefined;
  readonly #fetch: DebugFetch;

  constructor(options: DebugApiOptions = {}) {
    this.#basePath = (options.basePath ?? '').replace(/\/+$/, '');
    this.#authToken = options.authToken;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Conversations, most recently active first. */
  async conversations(limit = 1000): Promise<ConversationSummary[]> {
    return (await this.#get('/api/debug/conversations', { limit }, debugConversationsSchema)).items;
  }

  /** Sessions of a conversation (from its turn snapshots) and its current session. */
  sessions(convId: string): Promise<DebugSessions> {
    return this.#get(`/api/debug/conversations/${encodeURIComponent(convId)}/sessions`, {}, debugSessionsSchema);
  }

  /** Turn snapshots of a conversation (optionally one session), newest first. */
  async turns(convId: string, sessionId?: string, limit = 2000): Promise<TurnSnapshotRecord[]> {
    const query = { conv_id: convId, session_id: sessionId, limit };
    return (await this.#get('/api/debug/turns', query, debugTurnsSchema)).items;
  }

  /** Events after `sinceSeq`, in seq order. */
  async events(convId: string, sinceSeq = 0, limit = 5000): Promise<DebugEventPage> {
    const body = await this.#get(
      '/api/debug/events',
      { conv_id: convId, since_seq: sinceSeq, limit },
      debugEventsSchema,
    );
    return { events: body.items.map(toDebugEvent), lastSeq: body.last_seq };
  }

  /** The timeline entities of a conversation. */
  async timeline(convId: string): Promise<DebugTimeline> {
    const body = await this.#get('/api/debug/timeline', { conv_id: convId }, debugTimelineSchema);
    return { version: body.version, entities: body.items.map((item) => toDebugEntity(item.version, item.entity)) };
  }

  /** Pending step-mode pauses of every conversation. */
  async pendingPauses(): Promise<StepPause[]> {
    return (await this.#get('/api/debug/step', {}, stepPendingSchema)).pending;
  }

  /** Turns step mode on for the conversation's current session. */
  async enableStepMode(convId: string): Promise<void> {
    await this.#post('/api/debug/step/enable', { conv_id: convId }, stepToggleSchema);
  }

  /** Turns step mode off for the conversation's current session, releasing its pauses. */
  async disableStepMode(convId: string): Promise<void> {
    await this.#post('/api/debug/step/disable', { conv_id: convId }, stepToggleSchema);
  }

  /** Continues one pause (the server checks that it belongs to `convId`). */
  async continuePause(pauseId: string, convId: string): Promise<StepPause> {
    return (await this.#post('/api/debug/continue', { pause_id: pauseId, conv_id: convId }, continueSchema)).pause;
  }

  #get<T>(path: string, query: Record<string, string | number | undefined>, schema: z.ZodType<T>): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') search.set(key, String(value));
    }
    const encoded = search.toString();
    return this.#request(encoded ? `${path}?${encoded}` : path, { method: 'GET' }, schema);
  }

  #post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return this.#request(
      path,
      { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
      schema,
    );
  }

  async #request<T>(path: string, init: RequestInit, schema: z.ZodType<T>): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    if (this.#authToken) headers.set('authorization', `Bearer ${this.#authToken}`);
    let response: Response;
    try {
      response = await this.#fetch(`${this.#basePath}${path}`, { ...init, headers });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DebugApiError('network', `The server did not answer (${reason}).`, 0, '', { cause: error });
    }
    const text = await response.text();
    // A server without the debug API may answer unknown paths with its web page (an SPA fallback).
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && !type.includes('json') && /^\s*</.test(text)) {
      throw new DebugApiError('off', 'The debug API is not enabled on this server.', response.status);
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) throw errorFromResponse(response.status, body, path);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unreadable body';
      throw new DebugApiError('invalid', `Unexpected response from ${path.split('?')[0]} (${where}).`, response.status);
    }
    return parsed.data;
  }
}

function errorFromResponse(status: number, body: unknown, path: string): DebugApiError {
  const parsed = apiErrorSchema.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : '';
  const message = parsed.success ? parsed.data.error.message : `HTTP ${status}`;
  // A 404 that is not about a specific resource means the routes do not exist: the API is off.
  if (status === 404 && (code === 'not_found' || code === '') && path.startsWith('/api/debug/')) {
    const isResource = /\/api\/debug\/continue/.test(path);
    if (!isResource) return new DebugApiError('off', 'The debug API is not enabled on this server.', status, code);
  }
  if (status === 401) {
    return new DebugApiError('http', 'The server requires an auth token for the debug API.', status, code);
  }
  return new DebugApiError('http', message, status, code);
}

function toDebugEvent(item: z.infer<typeof debugEventsSchema>['items'][number]): DebugEvent {
  const parsed = semEnvelopeSchema.safeParse(item.frame);
  const event: DebugEvent = {
    seq: item.seq,
    type: item.type,
    id: item.id,
    sessionId: item.session_id,
    inferenceId: item.inference_id,
    turnId: item.turn_id,
    createdAtMs: item.created_at_ms,
    envelope: parsed.success ? parsed.data : undefined,
    frame: item.frame,
  };
  if (!parsed.success) event.frameError = parsed.error.issues[0]?.message ?? 'not a SEM envelope';
  return event;
}

function toDebugEntity(version: number, raw: unknown): DebugEntity {
  const parsed = timelineEntitySchema.safeParse(raw);
  if (parsed.success) {
    const createdVersion = Number(parsed.data.createdVersion ?? 0);
    return {
      version,
      id: parsed.data.id,
      kind: parsed.data.kind,
      createdVersion: Number.isSafeInteger(createdVersion) ? createdVersion : 0,
      entity: parsed.data,
      raw,
    };
  }
  const loose = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    version,
    id: typeof loose.id === 'string' ? loose.id : `(invalid entity v${version})`,
    kind: typeof loose.kind === 'string' ? loose.kind : 'invalid',
    createdVersion: 0,
    entity: undefined,
    raw,
    error: parsed.error.issues[0]?.message ?? 'invalid entity',
  };
}
