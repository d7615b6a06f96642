// `cricket serve` itself, loaded by the command only when it runs (see serve-command.ts).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '@cricket/core/errors';
import { createJsonLogger } from '@cricket/server';
import { describeProfileEngine } from '@cricket/server/profiles';
import { createConfiguredServer } from '../configured-server.js';
import type { ServeOptions } from './serve-command.js';

/** The built web UI shipped in the repository, when it has been built. */
function defaultStaticDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidate = resolve(here, '..', '..', '..', '..', 'packages', 'web', 'dist');
  return existsSync(join(candidate, 'index.html')) ? candidate : undefined;
}

/** Runs `cricket serve` until SIGINT/SIGTERM; resolves to the exit code. */
export async function serve(options: ServeOptions): Promise<number> {
  const staticDir = options.staticDir ?? defaultStaticDir();
  const authToken = options.authToken ?? process.env.CRICKET_AUTH_TOKEN;
  const { server, profiles, close } = await createConfiguredServer({
    db: options.db,
    ...(options.profiles ? { profiles: options.profiles } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.sqlDatabase ? { sqlDatabase: options.sqlDatabase } : {}),
    root: options.root,
    debugApi: options.debugApi,
    ...(authToken ? { authToken } : {}),
    allowedOrigins: options.allowedOrigin,
    ...(staticDir ? { staticDir } : {}),
    logger: createJsonLogger(options.logLevel),
  });
  const url = await server.listen({ host: options.host, port: options.port });
  for (const profile of profiles.list()) {
    const availability = profiles.availability(profile.slug);
    const note = availability && !availability.available ? ` — unavailable: ${availability.reason}` : '';
    process.stderr.write(`profile ${profile.slug}: ${describeProfileEngine(profile)}${note}\n`);
  }
  process.stderr.write(`database ${options.db}${staticDir ? '' : ' · web UI not built (API and WebSocket only)'}\n`);
  process.stdout.write(`listening on ${url}\n`);

  return new Promise<number>((resolvePromise) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`${signal}: shutting down (finishing or interrupting running answers)\n`);
      close().then(
        () => resolvePromise(0),
        (error: unknown) => {
          process.stderr.write(`shutdown failed: ${errorMessage(error)}\n`);
          resolvePromise(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
