import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WsHello, WsPong } from '@cricket/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ConversationManager } from '../conversations/conversation-manager.js';
import type { ServerServices } from '../conversations/server-services.js';
import { checkAuth, checkOrigin, type GuardOptions } from '../http/request-guards.js';
import { profileCookie, readCookie } from '../http/route-context.js';
import type { ConnectionHub } from './connection-hub.js';

/** Inputs of {@link attachWebSocketEndpoint}. */
export interface WebSocketEndpointOptions {
  /** Mount prefix with leading and trailing slash (e.g. `/` or `/chat-app/`). */
  root: string;
  hub: ConnectionHub;
  manager: ConversationManager;
  services: ServerServices;
  guards: GuardOptions;
  isShuttingDown: () => boolean;
  /** Largest accepted client frame; larger frames close the socket with 1009. */
  maxFrameBytes: number;
}

/**
 * `GET {root}ws?conv_id=&profile=`: joins a conversation and streams its frames. Auth and origin are
 * checked before the upgrade (plain HTTP 401/403 with a JSON body). Policy errors after the upgrade
 * (missing conv_id, unknown profile) send one `{"error": "..."}` text frame and close with 1008.
 * Clients may send `ping` (text), `{"type":"ws.ping"}` or a SEM-enveloped `ws.ping`; the answer is
 * `ws.pong` to that socket only. Everything else a client sends is ignored.
 */
export function attachWebSocketEndpoint(server: Server, options: WebSocketEndpointOptions): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });
  const path = `${options.root}ws`;

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== path)
      return rejectUpgrade(socket, 404, 'not_found', `no WebSocket endpoint at ${url.pathname}`);
    if (options.isShuttingDown()) return rejectUpgrade(socket, 503, 'unavailable', 'the server is shutting down');
    const auth = checkAuth(options.guards, request.headers, url.searchParams.get('access_token'));
    if (!auth.ok) return rejectUpgrade(socket, auth.status, auth.code, auth.message);
    const origin = checkOrigin(options.guards, request.headers);
    if (!origin.ok) return rejectUpgrade(socket, origin.status, origin.code, origin.message);
    wss.handleUpgrade(request, socket, head, (ws) => join(ws, url, request, options));
  });
  return wss;
}

function join(ws: WebSocket, url: URL, request: IncomingMessage, options: WebSocketEndpointOptions): void {
  const { services, manager, hub } = options;
  // Fix: listen for errors before anything else. A bad frame (oversized, unmasked) that arrives while
  // a join is being refused emitted 'error' on a socket without a listener: an uncaught exception
  // that killed the process. `ws` closes the socket itself (1009/1002); we only forget it.
  ws.on('error', () => hub.remove(ws));
  const convId = (url.searchParams.get('conv_id') ?? '').trim();
  if (!convId) {
    refuse(ws, 'missing conv_id');
    return;
  }
  const requested =
    (url.searchParams.get('profile') ?? '').trim() || readCookie(request.headers.cookie, profileCookie) || '';
  const existing = services.conversations.get(convId)?.profile;
  const profile = requested || existing || services.profiles.defaultSlug;
  if (!services.profiles.get(profile)) {
    refuse(ws, `profile not found: ${profile}`);
    return;
  }

  // Joining does not create the conversation: it exists from its first prompt, so opening a page
  // with a fresh id leaves no empty conversation behind. A live conversation reports its profile.
  let joinedProfile = profile;
  try {
    joinedProfile = manager.get(convId)?.profileSlug ?? profile;
  } catch {
    refuse(ws, 'failed to join conversation');
    return;
  }
  hub.add(convId, ws);
  const now = services.now();
  const hello: WsHello = { convId, profile: joinedProfile, serverTime: String(now) };
  hub.send(
    ws,
    JSON.stringify({ sem: true, event: { type: 'ws.hello', id: `ws.hello:${convId}:${now}`, data: hello } }),
  );

  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    if (!isPing(data.toString())) return;
    const at = services.now();
    const pong: WsPong = { convId, serverTime: String(at) };
    hub.send(ws, JSON.stringify({ sem: true, event: { type: 'ws.pong', id: `ws.pong:${convId}:${at}`, data: pong } }));
  });
}

/** `ping`, `{"type":"ws.ping"}` or `{"sem":true,"event":{"type":"ws.ping"}}` (type case-insensitive). */
export function isPing(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'ping') return true;
  if (!trimmed.startsWith('{')) return false;
  try {
    const value = JSON.parse(trimmed) as { type?: unknown; event?: { type?: unknown } };
    const type = value.event?.type ?? value.type;
    return typeof type === 'string' && type.toLowerCase() === 'ws.ping';
  } catch {
    return false;
  }
}

function refuse(ws: WebSocket, message: string): void {
  ws.send(JSON.stringify({ error: message }), () => ws.close(1008, message.slice(0, 120)));
}

function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason =
    { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
