// A chat server in its own process, for crash tests (`kill -9` mid-stream):
//   node --import tsx server-process.ts <database file> [port] [paceMs]
// Scripted engine with the demo rules (`/long` streams a long answer) paced at `paceMs` per chunk,
// debug API on. Prints `listening on <url>` once it accepts connections. Test-only.
import { ScriptedEngine } from '@cricket/core';
import { createChatServer } from '../create-chat-server.js';
import { InMemoryProfileRegistry } from '../profiles/profile-registry.js';
import { scriptedProfile } from './start-test-server.js';

const [databasePath, port = '0', paceMs = '5'] = process.argv.slice(2);
if (!databasePath) {
  process.stderr.write('usage: server-process.ts <database file> [port] [paceMs]\n');
  process.exit(2);
}
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const server = await createChatServer({
  databasePath,
  profiles: new InMemoryProfileRegistry([scriptedProfile('default')]),
  createEngine: (profile) => new ScriptedEngine({ model: profile.engine.model, paceMs: Number(paceMs) }),
  debugApi: true,
  logger: quiet,
});
const url = await server.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write(`listening on ${url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
