import { describe, expect, it } from 'vitest';
import { basePathFromLocation, DebugApi, DebugApiError, type DebugFetch } from './debug-api.js';

function respond(status: number, body: string, type = 'application/json'): DebugFetch {
  return async () => new Response(body, { status, headers: { 'content-type': type } });
}

async function failure(call: Promise<unknown>): Promise<DebugApiError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof DebugApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('DebugApi', () => {
  it('builds URLs under the mount prefix and leaves out empty parameters', async () => {
    const urls: string[] = [];
    const api = new DebugApi({
      basePath: '/prefix/',
      fetch: async (input) => {
        urls.push(input);
        return new Response(JSON.stringify({ items: [] }), { headers: { 'content-type': 'application/json' } });
      },
    });
    await api.turns('conv 1', undefined, 10);
    expect(urls).toEqual(['/prefix/api/debug/turns?conv_id=conv+1&limit=10']);
  });

  it('sends the bearer token and JSON bodies', async () => {
    let seen: RequestInit | undefined;
    const api = new DebugApi({
      authToken: 'secret',
      fetch: async (_input, init) => {
        seen = init;
        return new Response(JSON.stringify({ ok: true, session_id: 's', conv_id: 'c' }), {
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    await api.enableStepMode('c');
    const headers = new Headers(seen?.headers);
    expect(headers.get('authorization')).toBe('Bearer secret');
    expect(headers.get('content-type')).toBe('application/json');
    expect(seen?.body).toBe('{"conv_id":"c"}');
  });

  it('reads a 404 on a debug route, or a web page instead of JSON, as "the API is off"', async () => {
    const notFound = JSON.stringify({ error: { code: 'not_found', message: 'no route' } });
    expect((await failure(new DebugApi({ fetch: respond(404, notFound) }).conversations())).kind).toBe('off');
    const page = respond(200, '<!doctype html><html></html>', 'text/html');
    expect((await failure(new DebugApi({ fetch: page }).conversations())).kind).toBe('off');
  });

  it('keeps the server message of other errors, and of an unknown pause', async () => {
    const unknown = JSON.stringify({ error: { code: 'unknown_conversation', message: 'unknown conversation "x"' } });
    const error = await failure(new DebugApi({ fetch: respond(404, unknown) }).sessions('x'));
    expect([error.kind, error.status, error.code, error.message]).toEqual([
      'http',
      404,
      'unknown_conversation',
      'unknown conversation "x"',
    ]);
    const pause = JSON.stringify({ error: { code: 'not_found', message: 'unknown pause_id "p"' } });
    const continued = await failure(new DebugApi({ fetch: respond(404, pause) }).continuePause('p', 'c'));
    expect([continued.kind, continued.message]).toEqual(['http', 'unknown pause_id "p"']);
    const unauthorized = JSON.stringify({ error: { code: 'unauthorized', message: 'missing token' } });
    expect((await failure(new DebugApi({ fetch: respond(401, unauthorized) }).conversations())).message).toMatch(
      /auth token/,
    );
  });

  it('reports unreadable bodies and network failures', async () => {
    const invalid = await failure(new DebugApi({ fetch: respond(200, '{"items": 3}') }).conversations());
    expect(invalid.kind).toBe('invalid');
    expect(invalid.message).toMatch(/items/);
    const offline = await failure(
      new DebugApi({
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      }).conversations(),
    );
    expect([offline.kind, offline.message]).toEqual(['network', 'The server did not answer (fetch failed).']);
  });

  it('keeps malformed frames and entities visible instead of failing the whole log', async () => {
    const events = JSON.stringify({
      conv_id: 'c',
      last_seq: 2,
      items: [
        {
          seq: 1,
          type: 'llm.start',
          id: 'm',
          session_id: 's',
          inference_id: 'i',
          turn_id: 't',
          created_at_ms: 1,
          frame: { sem: true, event: { type: 'llm.start', id: 'm', seq: 1, data: { id: 'm' } } },
        },
        {
          seq: 2,
          type: 'llm.delta',
          id: 'm',
          session_id: 's',
          inference_id: 'i',
          turn_id: 't',
          created_at_ms: 2,
          frame: 'garbage',
        },
      ],
    });
    const page = await new DebugApi({ fetch: respond(200, events) }).events('c');
    expect(
      page.events.map((event) => [event.seq, event.envelope !== undefined, event.frameError !== undefined]),
    ).toEqual([
      [1, true, false],
      [2, false, true],
    ]);
    const timeline = JSON.stringify({
      conv_id: 'c',
      version: 3,
      items: [
        { version: 1, entity: { id: 'a', kind: 'message', createdVersion: '1', message: { role: 'user' } } },
        { version: 3, entity: { id: 'b', kind: 'tool_call', toolCall: { name: 7 } } },
      ],
    });
    const entities = (await new DebugApi({ fetch: respond(200, timeline) }).timeline('c')).entities;
    expect(
      entities.map((entity) => [entity.id, entity.kind, entity.createdVersion, entity.error === undefined]),
    ).toEqual([
      ['a', 'message', 1, true],
      ['b', 'tool_call', 0, false],
    ]);
  });
});

describe('basePathFromLocation', () => {
  it('finds the mount prefix before /debug', () => {
    expect(basePathFromLocation('/debug')).toBe('');
    expect(basePathFromLocation('/debug/')).toBe('');
    expect(basePathFromLocation('/chat-app/debug')).toBe('/chat-app');
    expect(basePathFromLocation('/elsewhere')).toBe('');
  });
});
