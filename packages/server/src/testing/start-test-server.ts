import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine, type Script, ScriptedEngine } from '@cricket/core';
import { type ChatServer, type ChatServerOptions, createChatServer } from '../create-chat-server.js';
import type { EngineFactory, Profile } from '../profiles/profile.js';
import { InMemoryProfileRegistry } from '../profiles/profile-registry.js';

/** Options of {@link startTestServer}. */
export interface TestServerOptions
  extends Partial<Omit<ChatServerOptions, 'databasePath' | 'profiles' | 'createEngine'>> {
  /** Database file (default: a new temp file); pass the previous one to simulate a restart. */
  databasePath?: string;
  /** Profiles (default: one `default` scripted profile). */
  profiles?: Profile[];
  /** Engine factory (default: scripted engines with `paceMs`). */
  createEngine?: EngineFactory;
  /** Pace of the default scripted engine in ms per chunk (default 2). */
  paceMs?: number;
  /** Script of the default scripted profile. */
  script?: Script;
  /** Port to listen on (default 0: a free port); pass the previous server's port to simulate a restart. */
  port?: number;
}

/** A server listening on 127.0.0.1 with a temporary SQLite file. */
export interface TestServer {
  server: ChatServer;
  /** `http://127.0.0.1:PORT` plus the root. */
  url: string;
  /** `ws://127.0.0.1:PORT{root}ws`. */
  wsUrl: string;
  databasePath: string;
  close(): Promise<void>;
}

/** A scripted profile for tests. */
export function scriptedProfile(slug = 'default', overrides: Partial<Profile> = {}): Profile {
  return {
    slug,
    engine: { provider: 'scripted', model: 'scripted-demo' },
    systemPrompt: 'You are a test assistant.',
    middlewares: [],
    tools: null,
    allowOverrides: true,
    ...overrides,
  };
}

/**
 * Starts a real chat server on 127.0.0.1 (random port) over a temporary SQLite file, with scripted
 * engines by default. Quiet: logs go nowhere unless `logger` is given.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const databasePath = options.databasePath ?? join(mkdtempSync(join(tmpdir(), 'cricket-server-')), 'cricket.sqlite');
  const profiles = new InMemoryProfileRegistry(
    options.profiles ?? [scriptedProfile('default', options.script ? { script: options.script } : {})],
  );
  const createEngine: EngineFactory =
    options.createEngine ??
    ((profile): Engine =>
      new ScriptedEngine({
        model: profile.engine.model,
        paceMs: options.paceMs ?? 2,
        ...(profile.script ? { script: profile.script } : {}),
      }));
  const { paceMs: _pace, script: _script, port = 0, ...rest } = options;
  const server = await createChatServer({
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    shutdownGraceMs: 2000,
    ...rest,
    databasePath,
    profiles,
    createEngine,
  });
  const url = await server.listen({ host: '127.0.0.1', port });
  const wsUrl = `${url.replace(/^http/, 'ws')}/ws`;
  return { server, url, wsUrl, databasePath, close: () => server.close() };
}
