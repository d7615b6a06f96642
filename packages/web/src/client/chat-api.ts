import {
  apiErrorSchema,
  type ChatResponse,
  type ConversationList,
  type CurrentProfile,
  chatResponseSchema,
  conversationListSchema,
  currentProfileSchema,
  type ProfileSummary,
  profileListSchema,
  type StopResponse,
  stopResponseSchema,
  type TimelineSnapshot,
  timelineSnapshotSchema,
} from '@cricket/protocol';
import { ChatClientError } from './chat-client-error.js';

/**
 * What the client needs of a response schema: zod's `safeParse` (the protocol's schemas fit). Declared
 * structurally so this package depends on `@cricket/protocol` only.
 */
export interface ResponseSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** The part of `fetch` the client uses (the global `fetch` fits; tests pass wrappers). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Settings of {@link ChatApi}. */
export interface ChatApiOptions {
  /** The server's http(s) URL including its mount root, e.g. `https://example.com/chat-app/`. */
  baseUrl: string;
  /** Bearer token for servers started with `--auth-token`. */
  authToken?: string;
  /** `fetch` implementation (default: the global one). */
  fetch?: FetchLike;
  /** Time allowed for one request including its body, in ms (default 30,000). */
  requestTimeoutMs?: number;
}

/** Input of {@link ChatApi.chat}. */
export interface ChatCall {
  convId: string;
  prompt: string;
  /** Sent as the `Idempotency-Key` header and in the body; repeat it to retry without duplicating. */
  idempotencyKey: string;
  /** Engine overrides (`system_prompt`, `middlewares`, `tools`) and `step_mode`. */
  overrides?: Record<string, unknown>;
  /** Profile slug; sent as `POST /chat/{profile}`. */
  profile?: string;
}

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Typed calls of Cricket's HTTP API. Every response body is parsed with the protocol's schema; every
 * failure becomes a {@link ChatClientError} carrying the HTTP status and the server's error code.
 */
export class ChatApi {
  readonly #baseUrl: string;
  readonly #authToken: string | undefined;
  readonly #fetch: FetchLike;
  readonly #requestTimeoutMs: number;

  constructor(options: ChatApiOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`baseUrl must be an http(s) URL, got ${JSON.stringify(options.baseUrl)}`);
    }
    url.search = '';
    url.hash = '';
    this.#baseUrl = url.href.replace(/\/+$/, '');
    this.#authToken = options.authToken;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /** `POST /chat` (or `/chat/{profile}`): 200 `started`, 202 `queued`, or the stored response of a repeated key. */
  chat(call: ChatCall, signal?: AbortSignal): Promise<ChatResponse> {
    const path = call.profile ? `/chat/${encodeURIComponent(call.profile)}` : '/chat';
    return this.#request(chatResponseSchema, {
      method: 'POST',
      path,
      headers: { 'Idempotency-Key': call.idempotencyKey },
      body: {
        conv_id: call.convId,
        prompt: call.prompt,
        idempotency_key: call.idempotencyKey,
        ...(call.overrides ? { overrides: call.overrides } : {}),
      },
      ...(signal ? { signal } : {}),
    });
  }

  /** `POST /api/chat/stop`: cancels the conversation's running inference (its partial text is kept). */
  stop(convId: string): Promise<StopResponse> {
    return this.#request(stopResponseSchema, { method: 'POST', path: '/api/chat/stop', body: { conv_id: convId } });
  }

  /**
   * `GET /timeline`: the conversation's entities and its version (the highest `seq` that wrote one).
   * `sinceVersion` > 0 returns only entities written after it.
   */
  timeline(
    convId: string,
    options: { sinceVersion?: number; limit?: number } = {},
    signal?: AbortSignal,
  ): Promise<TimelineSnapshot> {
    return this.#request(timelineSnapshotSchema, {
      method: 'GET',
      path: '/timeline',
      query: { conv_id: convId, since_version: options.sinceVersion, limit: options.limit },
      ...(signal ? { signal } : {}),
    });
  }

  /** `GET /api/conversations`: most recently active first. */
  conversations(options: { limit?: number } = {}): Promise<ConversationList> {
    return this.#request(conversationListSchema, {
      method: 'GET',
      path: '/api/conversations',
      query: { limit: options.limit },
    });
  }

  /** `GET /api/chat/profiles`. */
  profiles(): Promise<ProfileSummary[]> {
    return this.#request(profileListSchema, { method: 'GET', path: '/api/chat/profiles' });
  }

  /** `GET /api/chat/profile`: the profile selected by the `chat_profile` cookie (or the default). */
  currentProfile(): Promise<CurrentProfile> {
    return this.#request(currentProfileSchema, { method: 'GET', path: '/api/chat/profile' });
  }

  /** `POST /api/chat/profile`: selects a profile for new conversations (sets the `chat_profile` cookie). */
  selectProfile(slug: string): Promise<CurrentProfile> {
    return this.#request(currentProfileSchema, { method: 'POST', path: '/api/chat/profile', body: { slug } });
  }

  /**
   * The `ws(s)://…/ws` URL of a conversation. The token goes into the query (`access_token`) because
   * browsers cannot set headers on a WebSocket.
   */
  webSocketUrl(convId: string, profile?: string): string {
    const url = new URL(`${this.#baseUrl}/ws`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('conv_id', convId);
    if (profile) url.searchParams.set('profile', profile);
    if (this.#authToken) url.searchParams.set('access_token', this.#authToken);
    return url.href;
  }

  async #request<T>(schema: ResponseSchema<T>, spec: RequestSpec): Promise<T> {
    const url = this.#url(spec.path, spec.query);
    const controller = new AbortController();
    const abort = () => controller.abort();
    const timer = setTimeout(abort, this.#requestTimeoutMs);
    spec.signal?.addEventListener('abort', abort, { once: true });
    if (spec.signal?.aborted) abort();
    const headers: Record<string, string> = { Accept: 'application/json', ...spec.headers };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.#authToken) headers.Authorization = `Bearer ${this.#authToken}`;
    let status = 0;
    try {
      const response = await this.#fetch(url, {
        method: spec.method,
        headers,
        signal: controller.signal,
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
      });
      status = response.status;
      const text = await response.text();
      return decode(schema, spec, response, text);
    } catch (error) {
      if (error instanceof ChatClientError) throw error;
      const what = `${spec.method} ${spec.path}`;
      if (spec.signal?.aborted) throw new ChatClientError('aborted', `${what} was aborted`, { status, cause: error });
      if (controller.signal.aborted) {
        throw new ChatClientError('timeout', `${what} got no response within ${this.#requestTimeoutMs} ms`, {
          status,
          cause: error,
        });
      }
      throw new ChatClientError('network_error', `${what} failed: ${describe(error)}`, { status, cause: error });
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', abort);
    }
  }

  #url(path: string, query: RequestSpec['query'] = {}): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
    const encoded = search.toString();
    return `${this.#baseUrl}${path}${encoded ? `?${encoded}` : ''}`;
  }
}

function decode<T>(schema: ResponseSchema<T>, spec: RequestSpec, response: Response, text: string): T {
  const what = `${spec.method} ${spec.path}`;
  let json: unknown;
  let isJson = true;
  try {
    json = JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (!response.ok) {
    const body = apiErrorSchema.safeParse(json);
    if (isJson && body.success) {
      throw new ChatClientError(body.data.error.code, body.data.error.message, { status: response.status });
    }
    const snippet = text.trim().slice(0, 200) || response.statusText;
    throw new ChatClientError('http_error', `${what} answered ${response.status}: ${snippet}`, {
      status: response.status,
    });
  }
  if (!isJson) {
    throw new ChatClientError('invalid_response', `${what} answered ${response.status} with a body that is not JSON`, {
      status: response.status,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ChatClientError('invalid_response', `${what} answered an unexpected body: ${issues.join('; ')}`, {
      status: response.status,
    });
  }
  return parsed.data;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
