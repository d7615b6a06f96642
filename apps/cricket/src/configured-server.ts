import { builtinTools } from '@cricket/core';
import { createEngine } from '@cricket/providers';
import {
  type ChatServer,
  createAgentModeMiddlewareFactory,
  createChatServer,
  createSqlToolMiddlewareFactory,
  type ServerLogger,
  SqliteAgentModeStore,
} from '@cricket/server';
import {
  type CheckedProfileRegistry,
  createDefaultProfiles,
  createProfileEngineFactory,
  loadProfilesFile,
} from '@cricket/server/profiles';

/** What `cricket serve` and the local mode of `cricket chat` configure a chat server with. */
export interface ServerSettings {
  /** SQLite database file (created and migrated when needed). */
  db: string;
  /** Profiles YAML file; without one, a `default` profile from the environment (see `createDefaultProfiles`). */
  profiles?: string;
  /** Provider and model of the default profile (ignored with `profiles`). */
  provider?: string;
  model?: string;
  /** SQLite file queried by the `sql` middleware's tool. */
  sqlDatabase?: string;
  root?: string;
  debugApi?: boolean;
  authToken?: string;
  allowedOrigins?: string[];
  staticDir?: string;
  logger: ServerLogger;
}

/** A configured server, its profiles, and `close` (the server, then what it used). */
export interface ConfiguredServer {
  server: ChatServer;
  profiles: CheckedProfileRegistry;
  close(): Promise<void>;
}

/**
 * Builds the chat server every `cricket` command uses: the profiles, the provider engines, the
 * built-in tools, and the `agentmode` and (with `sqlDatabase`) `sql` middlewares. Nothing listens yet.
 */
export async function createConfiguredServer(settings: ServerSettings): Promise<ConfiguredServer> {
  const profiles = settings.profiles
    ? loadProfilesFile(settings.profiles)
    : createDefaultProfiles(process.env, {
        ...(settings.provider ? { provider: settings.provider } : {}),
        ...(settings.model ? { model: settings.model } : {}),
      });
  const sql = settings.sqlDatabase ? createSqlToolMiddlewareFactory({ path: settings.sqlDatabase }) : undefined;
  try {
    const server = await createChatServer({
      middlewares: (database) => ({
        agentmode: createAgentModeMiddlewareFactory(new SqliteAgentModeStore(database)),
        ...(sql ? { sql } : {}),
      }),
      tools: () => builtinTools(),
      databasePath: settings.db,
      profiles,
      createEngine: createProfileEngineFactory(profiles, (engineSettings) => createEngine(engineSettings)),
      root: settings.root ?? '/',
      debugApi: settings.debugApi ?? false,
      ...(settings.authToken ? { authToken: settings.authToken } : {}),
      allowedOrigins: settings.allowedOrigins ?? [],
      ...(settings.staticDir ? { staticDir: settings.staticDir } : {}),
      logger: settings.logger,
    });
    return {
      server,
      profiles,
      async close() {
        try {
          await server.close();
        } finally {
          sql?.close();
        }
      },
    };
  } catch (error) {
    sql?.close();
    throw error;
  }
}
