import { afterEach, describe, expect, it } from 'vitest';
import { openTestSocket, startTestServer, type TestServer } from './testing/index.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('chat server smoke', () => {
  it('streams an answer with a tool call to a socket and persists the timeline', async () => {
    server = await startTestServer();
    const socket = await openTestSocket(`${server.wsUrl}?conv_id=c1`);
    const hello = await socket.waitFor((event) => event.type === 'ws.hello');
    expect(hello.type === 'ws.hello' && hello.data.convId).toBe('c1');
    const response = await fetch(`${server.url}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conv_id: 'c1', prompt: 'what is 6 * 7?' }),
    });
    expect(response.status).toBe(200);
    const final = await socket.waitFor((event) => event.type === 'llm.final');
    expect(final.type === 'llm.final' && final.data.text).toBe('The result of `6 * 7` is **42**.');
    const seqs = socket.events
      .filter((event) => event.type !== 'timeline.upsert' && event.seq !== undefined)
      .map((event) => event.seq ?? 0);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const timeline = (await (await fetch(`${server.url}/timeline?conv_id=c1`)).json()) as {
      entities: { kind: string }[];
    };
    expect(timeline.entities.map((entity) => entity.kind).sort()).toEqual([
      'message',
      'message',
      'tool_call',
      'tool_result',
    ]);
    socket.close();
  });
});
