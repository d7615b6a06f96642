import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { builtinTools, errorMessage, StepController, type ToolDefinition } from '@cricket/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { ConversationManager, type EvictionOptions } from './conversations/conversation-manager.js';
import type { ServerLogger, ServerServices } from './conversations/server-services.js';
import { type CricketDatabase, openDatabase } from './db/index.js';
import { registerChatRoutes } from './http/chat-routes.js';
import { registerDebugRoutes } from './http/debug-routes.js';
import { HttpError, sendError } from './http/http-error.js';
import { registerProfileRoutes } from './http/profile-routes.js';
import { registerReadRoutes } from './http/read-routes.js';
import { checkAuth } from './http/request-guards.js';
import type { RouteContext } from './http/route-context.js';
import { registerStaticFiles } from './http/static-files.js';
import { createJsonLogger } from './logger.js';
import type { EngineFactory, MiddlewareFactory, ProfileRegistry } from './profiles/profile.js';
import {
  SqliteConversationStore,
  SqliteEventLog,
  SqliteRequestStore,
  SqliteTimelineStore,
  SqliteTurnStore,
} from './stores/index.js';
import { FramePipeline } from './streaming/frame-pipeline.js';
import { ConnectionHub } from './ws/connection-hub.js';
import { attachWebSocketEndpoint } from './ws/ws-endpoint.js';

/** Configuration of {@link createChatServer}. */
export interface ChatServerOptions {
  /** SQLite file holding everything (created if missing); `:memory:` for throwaway servers. */
  databasePath: string;
  profiles: ProfileRegistry;
  createEngine: EngineFactory;
  /**
   * Middleware factories by name (profiles refer to them), or a function building them from the
   * server's database (e.g. the agent-mode store shares the one SQLite file).
   */
  middlewares?: Record<string, MiddlewareFactory> | ((database: CricketDatabase) => Record<string, MiddlewareFactory>);
  /** The tools profiles may offer (default: the built-in `calculator` and `current_time`). */
  tools?: () => ToolDefinition[];
  /** URL prefix everything is mounted under (default `/`). */
  root?: string;
  /** Registers `/api/debug/*` (conversations, sessions, turns, event log, timeline, step mode). */
  debugApi?: boolean;
  /** Bearer token required on every API and WebSocket route (not on `/healthz` and the UI files). */
  authToken?: string;
  /** Extra origins allowed for state-changing requests and WebSocket upgrades (same-origin always is). */
  allowedOrigins?: string[];
  /** Directory of the built web UI, served at the root when present. */
  staticDir?: string;
  /** Largest accepted request body (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Longest accepted prompt in characters (default 100,000). */
  maxPromptChars?: number;
  /** Prompts waiting per conversation before 429 (default 32). */
  maxQueueDepth?: number;
  /** Largest accepted WebSocket frame from a client (default 64 KiB). */
  maxWsFrameBytes?: number;
  /** Unsent bytes after which a socket is cut off as a slow consumer (default 8 MiB). */
  wsMaxBufferedBytes?: number;
  heartbeatMs?: number;
  /** Idle eviction of in-memory conversations (default 300 s idle, 60 s sweep). */
  eviction?: EvictionOptions;
  /** How long shutdown waits for running inferences before cancelling them (default 10 s). */
  shutdownGraceMs?: number;
  /**
   * Group commit of frames: minimum milliseconds between two commits while deltas of messages under
   * way keep coming (default 16; see `FramePipeline`). Larger values mean fewer transactions, frames
   * and socket writes per delta, and more latency per delta (not for the first one).
   */
  commitWindowMs?: number;
  logger?: ServerLogger;
  now?: () => number;
}

/** A running (or ready) chat server. */
export interface ChatServer {
  readonly app: FastifyInstance;
  readonly services: ServerServices;
  readonly manager: ConversationManager;
  readonly hub: ConnectionHub;
  readonly database: CricketDatabase;
  /** Starts listening; resolves with the base URL (including the root). */
  listen(options: { host: string; port: number }): Promise<string>;
  /** Graceful shutdown: refuse new work, finish or interrupt inferences, flush, close sockets and the database. */
  close(): Promise<void>;
}

/**
 * Creates Cricket's web chat server: opens (and migrates) the database, repairs what a previous crash
 * left (interrupted inferences are marked and announced), resumes queued prompts, and registers the
 * HTTP routes and the WebSocket endpoint. Nothing listens until `listen`.
 */
export async function createChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const logger = options.logger ?? createJsonLogger('info');
  const now = options.now ?? Date.now;
  const root = normalizeRoot(options.root ?? '/');
  const database = openDatabase(options.databasePath);
  const onCorruptRow = (report: unknown) => logger.error({ report }, 'corrupt database row skipped');
  const timeline = new SqliteTimelineStore(database, { onCorruptRow });
  const eventLog = new SqliteEventLog(database);
  const hub = new ConnectionHub({
    ...(options.wsMaxBufferedBytes ? { maxBufferedBytes: options.wsMaxBufferedBytes } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    onDrop: (convId, reason) => logger.warn({ conv_id: convId, reason }, 'socket dropped'),
  });
  const pipeline = new FramePipeline({
    eventLog,
    timeline,
    transaction: (work) => database.transaction(work),
    publish: (convId, text) => hub.broadcast(convId, text),
    now,
    ...(options.commitWindowMs !== undefined ? { commitWindowMs: options.commitWindowMs } : {}),
    onCommitError: (error, attempt) => logger.error({ error: errorMessage(error), attempt }, 'frame commit failed'),
  });
  const services: ServerServices = {
    profiles: options.profiles,
    createEngine: options.createEngine,
    middlewares:
      typeof options.middlewares === 'function' ? options.middlewares(database) : (options.middlewares ?? {}),
    tools: options.tools ?? builtinTools,
    pipeline,
    conversations: new SqliteConversationStore(database),
    requests: new SqliteRequestStore(database),
    turns: new SqliteTurnStore(database),
    timeline,
    eventLog,
    stepController: new StepController(),
    limits: { maxQueueDepth: options.maxQueueDepth ?? 32, maxPromptChars: options.maxPromptChars ?? 100_000 },
    logger,
    now,
    transaction: (work) => database.transaction(work),
  };
  const manager = new ConversationManager(services, (convId) => hub.count(convId) > 0);
  manager.recover();
  manager.startEviction(options.eviction ?? { idleMs: 300_000, intervalMs: 60_000 });

  let shuttingDown = false;
  const guards = {
    ...(options.authToken ? { authToken: options.authToken } : {}),
    allowedOrigins: options.allowedOrigins ?? [],
  };
  const context: RouteContext = {
    services,
    manager,
    guards,
    isShuttingDown: () => shuttingDown,
    debugApi: options.debugApi ?? false,
  };

  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    return503OnClosing: true,
    // Errors Fastify raises before routing (a malformed URL, say) get the same JSON error shape.
    frameworkErrors: (error, _request, reply) => sendError(reply, 400, 'bad_request', error.message),
  });
  installErrorHandling(app, logger);
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        if (!isApiPath(path, root)) return;
        const auth = checkAuth(guards, request.headers);
        if (!auth.ok) return sendError(reply, auth.status, auth.code, auth.message);
        if (request.method === 'POST' && !String(request.headers['content-type'] ?? '').includes('application/json')) {
          return sendError(
            reply,
            415,
            'unsupported_media_type',
            'POST bodies must be JSON (Content-Type: application/json)',
          );
        }
      });
      registerChatRoutes(scope, context);
      registerReadRoutes(scope, context);
      registerProfileRoutes(scope, context);
      if (context.debugApi) registerDebugRoutes(scope, context);
      if (options.staticDir && existsSync(options.staticDir)) await registerStaticFiles(scope, options.staticDir);
    },
    { prefix: root === '/' ? '' : root.slice(0, -1) },
  );
  if (root !== '/') {
    app.get(root.slice(0, -1), (_request, reply) => reply.code(308).header('location', root).send());
  }
  attachWebSocketEndpoint(app.server, {
    root,
    hub,
    manager,
    services,
    guards,
    isShuttingDown: () => shuttingDown,
    maxFrameBytes: options.maxWsFrameBytes ?? 64 * 1024,
  });

  let closed: Promise<void> | undefined;
  return {
    app,
    services,
    manager,
    hub,
    database,
    async listen({ host, port }) {
      await app.listen({ host, port });
      const address = app.server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}${root === '/' ? '' : root.slice(0, -1)}`;
    },
    close() {
      closed ??= (async () => {
        shuttingDown = true;
        await manager.shutdown(options.shutdownGraceMs ?? 10_000);
        await pipeline.drain();
        hub.closeAll();
        await app.close();
        database.close();
      })();
      return closed;
    },
  };
}

function normalizeRoot(root: string): string {
  const trimmed = root.trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** API routes need auth and JSON; the UI's static files and `/healthz` do not. */
function isApiPath(path: string, root: string): boolean {
  const local = `/${path.slice(root.length)}`;
  return /^\/(chat|timeline|turns|api)(\/|$)/.test(local);
}

function installErrorHandling(app: FastifyInstance, logger: ServerLogger): void {
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
  );
  app.setErrorHandler(
    (error: { statusCode?: number; code?: string; message: string; status?: number }, _request, reply) => {
      if (error instanceof HttpError) return sendError(reply, error.status, error.code, error.message);
      switch (error.code) {
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return sendError(reply, 413, 'payload_too_large', 'request body is too large');
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return sendError(
            reply,
            415,
            'unsupported_media_type',
            'POST bodies must be JSON (Content-Type: application/json)',
          );
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          return sendError(reply, 400, 'invalid_json', 'request body is empty; send a JSON object');
        case 'FST_ERR_CTP_INVALID_JSON_BODY':
          return sendError(reply, 400, 'invalid_json', `request body is not valid JSON: ${error.message}`);
      }
      if (error.statusCode === 400) {
        return sendError(reply, 400, 'invalid_json', `request body is not valid JSON: ${error.message}`);
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return sendError(reply, error.statusCode, 'bad_request', error.message);
      }
      logger.error({ error: error.message }, 'request failed');
      return sendError(reply, 500, 'internal_error', 'internal server error');
    },
  );
}
