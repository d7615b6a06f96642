import type { ServerLogger } from './conversations/server-services.js';

/** Log levels, most verbose first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A logger writing one JSON line per record to a stream (stderr by default). */
export function createJsonLogger(
  level: LogLevel = 'info',
  stream: NodeJS.WritableStream = process.stderr,
): ServerLogger {
  const write = (recordLevel: LogLevel, object: Record<string, unknown>, message?: string) => {
    if (order[recordLevel] < order[level]) return;
    stream.write(
      `${JSON.stringify({ level: recordLevel, time: new Date().toISOString(), ...(message ? { msg: message } : {}), ...object })}\n`,
    );
  };
  return {
    info: (object, message) => write('info', object, message),
    warn: (object, message) => write('warn', object, message),
    error: (object, message) => write('error', object, message),
  };
}
