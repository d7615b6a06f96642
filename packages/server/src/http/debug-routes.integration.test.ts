// The debug API under /api/debug/: off by default; when on, conversations, sessions, turns, the event
// log, the timeline and step mode.
import { describe, expect, it } from 'vitest';
import {
  errorCode,
  getJson,
  legacySessionField,
  postJson,
  routeProfiles,
  settle,
  waitIdle,
  withServer,
} from '../testing/integration-helpers.js';
import { openTestSocket } from '../testing/test-socket.js';

describe.concurrent('debug API', () => {
  it('does not exist unless enabled', async () => {
    await withServer({ profiles: routeProfiles() }, async (server) => {
      for (const path of [
        '/api/debug/conversations',
        '/api/debug/events?conv_id=x',
        '/api/debug/timeline?conv_id=x',
        '/api/debug/turns?conv_id=x',
        '/api/debug/step',
      ]) {
        const response = await getJson(server.url, path);
        expect(response.status, path).toBe(404);
        expect(errorCode(response)).toBe('not_found');
      }
      const enable = await postJson(server.url, '/api/debug/step/enable', { session_id: 's' });
      expect(enable.status).toBe(404);
    });
  });

  it('lists conversations, sessions, turns and the timeline', async () => {
    await withServer({ profiles: routeProfiles(), debugApi: true }, async (server) => {
      expect((await postJson(server.url, '/chat', { conv_id: 'd', prompt: 'hello' })).status).toBe(200);
      await waitIdle(server.url, 'd');
      const conversations = await getJson(server.url, '/api/debug/conversations');
      expect(conversations.body.items).toEqual((await getJson(server.url, '/api/conversations')).body.items);
      const sessionId = conversations.body.items[0].session_id as string;

      const sessions = await getJson(server.url, '/api/debug/conversations/d/sessions');
      expect(sessions.body).toEqual({
        conv_id: 'd',
        current_session_id: sessionId,
        items: [{ session_id: sessionId, first_ms: expect.any(Number), last_ms: expect.any(Number), snapshots: 3 }],
      });
      const unknown = await getJson(server.url, '/api/debug/conversations/nope/sessions');
      expect(unknown.status).toBe(404);
      expect(errorCode(unknown)).toBe('unknown_conversation');

      const turns = await getJson(server.url, '/api/debug/turns?conv_id=d&phase=final');
      expect(turns.body.items).toHaveLength(1);
      expect(turns.body.items[0]).toMatchObject({ conv_id: 'd', session_id: sessionId, phase: 'final' });
      expect(turns.body.items[0].payload).toContain('hello');
      expect((await getJson(server.url, '/api/debug/turns')).status).toBe(400);

      const timeline = await getJson(server.url, '/api/debug/timeline?conv_id=d');
      const snapshot = await getJson(server.url, '/timeline?conv_id=d');
      expect(timeline.body.version).toBe(Number(snapshot.body.version));
      expect(timeline.body.items.map((item: { entity: unknown }) => item.entity)).toEqual(snapshot.body.entities);
      expect((await getJson(server.url, '/api/debug/timeline')).status).toBe(400);
    });
  });

  it('serves the ordered event log with since_seq, limit and type filters', async () => {
    await withServer({ profiles: routeProfiles(), debugApi: true }, async (server) => {
      const socket = await openTestSocket(`${server.wsUrl}?conv_id=ev`);
      expect((await postJson(server.url, '/chat', { conv_id: 'ev', prompt: 'slow' })).status).toBe(200);
      await waitIdle(server.url, 'ev');
      await settle(socket);
      const log = await getJson(server.url, '/api/debug/events?conv_id=ev&limit=10000');
      expect(log.status).toBe(200);
      const items = log.body.items as {
        seq: number;
        type: string;
        id: string;
        session_id: string;
        inference_id: string;
        created_at_ms: number;
        frame: { sem: boolean; event: { seq: number; type: string } };
      }[];
      const seqs = items.map((item) => item.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(log.body.last_seq).toBe(seqs.at(-1));
      for (const item of items) {
        expect(item.frame.sem).toBe(true);
        expect(item.frame.event.seq).toBe(item.seq);
        expect(item.frame.event.type).toBe(item.type);
        expect(item.session_id).not.toBe('');
      }
      expect(items.filter((item) => item.type === 'llm.delta').every((item) => item.inference_id !== '')).toBe(true);
      // Every frame a socket got (except the upserts derived after commit) is in the log, byte for byte.
      const logged = new Set(items.map((item) => JSON.stringify(item.frame)));
      const sent = socket.texts.filter((text) => !/"type":"(ws\.hello|ws\.pong)"/.test(text));
      const raw = sent.filter((text) => logged.has(text));
      const notLogged = sent.filter((text) => !logged.has(text));
      // A direct upsert (the user's message) is logged as queued and sent once, stamped by the store.
      const directUpserts = items.filter((item) => item.type === 'timeline.upsert').length;
      expect(directUpserts).toBeGreaterThan(0);
      expect(raw.length).toBe(items.length - directUpserts);
      expect(notLogged.every((text) => text.includes('"timeline.upsert"'))).toBe(true);

      const middle = seqs[Math.floor(seqs.length / 2)] ?? 0;
      const since = await getJson(server.url, `/api/debug/events?conv_id=ev&since_seq=${middle}&limit=10000`);
      expect(since.body.items.map((item: { seq: number }) => item.seq)).toEqual(seqs.filter((seq) => seq > middle));
      const limited = await getJson(server.url, '/api/debug/events?conv_id=ev&limit=3');
      expect(limited.body.items.map((item: { seq: number }) => item.seq)).toEqual(seqs.slice(0, 3));
      const typed = await getJson(server.url, '/api/debug/events?conv_id=ev&type=llm.start,llm.final&limit=10000');
      expect(typed.body.items.map((item: { type: string }) => item.type)).toEqual(['llm.start', 'llm.final']);
      const missing = await getJson(server.url, '/api/debug/events');
      expect(missing.status).toBe(400);
      expect(errorCode(missing)).toBe('missing_parameter');
      const none = await getJson(server.url, '/api/debug/events?conv_id=never');
      expect(none.body).toEqual({ conv_id: 'never', items: [], last_seq: 0 });
      socket.close();
    });
  });

  it('pauses in step mode; continue checks the conversation; disable releases the rest', async () => {
    // The default test profile answers arithmetic with the calculator tool (demo rules).
    await withServer({ debugApi: true }, async (server) => {
      const socket = await openTestSocket(`${server.wsUrl}?conv_id=step`);
      // Joining a socket does not create a conversation; its first prompt does.
      expect((await postJson(server.url, '/chat', { conv_id: 'step', prompt: 'hello' })).status).toBe(200);
      await waitIdle(server.url, 'step');
      const missing = await postJson(server.url, '/api/debug/step/enable', { conv_id: 'not-live' });
      expect(missing.status).toBe(400);
      const enabled = await postJson(server.url, '/api/debug/step/enable', {
        conv_id: 'step',
        [legacySessionField]: 'legacy',
      });
      expect(enabled.status).toBe(200);
      expect(enabled.body).toEqual({ ok: true, session_id: expect.any(String), conv_id: 'step' });
      expect(enabled.text).not.toContain(legacySessionField);

      expect((await postJson(server.url, '/chat', { conv_id: 'step', prompt: 'what is 6 * 7?' })).status).toBe(200);
      const pause = await socket.waitFor((event) => event.type === 'debugger.pause');
      if (pause.type !== 'debugger.pause') throw new Error('unreachable');
      expect(pause.data).toMatchObject({ pauseId: pause.id, phase: 'after_inference' });
      const pending = await getJson(server.url, '/api/debug/step');
      expect(pending.body.pending).toEqual([
        expect.objectContaining({ pause_id: pause.id, session_id: enabled.body.session_id, phase: 'after_inference' }),
      ]);

      expect((await postJson(server.url, '/api/debug/continue', {})).status).toBe(400);
      const unknown = await postJson(server.url, '/api/debug/continue', { pause_id: 'nope' });
      expect(unknown.status).toBe(404);
      const foreign = await postJson(server.url, '/api/debug/continue', {
        pause_id: pause.id,
        conv_id: 'someone-else',
      });
      expect(foreign.status).toBe(403);
      expect(errorCode(foreign)).toBe('forbidden');
      expect((await getJson(server.url, '/api/debug/step')).body.pending).toHaveLength(1);

      const continued = await postJson(server.url, '/api/debug/continue', { pause_id: pause.id, conv_id: 'step' });
      expect(continued.status).toBe(200);
      expect(continued.body).toMatchObject({ ok: true, pause: { pause_id: pause.id, phase: 'after_inference' } });
      const second = await socket.waitFor((event) => event.type === 'debugger.pause' && event.id !== pause.id);
      expect(second.type === 'debugger.pause' && second.data.phase).toBe('after_tools');

      const disabled = await postJson(server.url, '/api/debug/step/disable', { conv_id: 'step' });
      expect(disabled.body).toEqual({ ok: true, session_id: enabled.body.session_id });
      const final = await socket.waitFor(
        (event) => event.type === 'llm.final' && event.data.text?.startsWith('The result') === true,
      );
      expect(final.type === 'llm.final' && final.data.text).toBe('The result of `6 * 7` is **42**.');
      await waitIdle(server.url, 'step');
      expect((await getJson(server.url, '/api/debug/step')).body.pending).toEqual([]);
      expect((await postJson(server.url, '/api/debug/step/disable', {})).status).toBe(400);
      socket.close();
    });
  });

  it('enables step mode from the step_mode override of a /chat request', async () => {
    await withServer({ debugApi: true }, async (server) => {
      const socket = await openTestSocket(`${server.wsUrl}?conv_id=ov`);
      const body = { conv_id: 'ov', prompt: 'what is 2 + 3?', overrides: { step_mode: 'Yes' } };
      expect((await postJson(server.url, '/chat', body)).status).toBe(200);
      const pause = await socket.waitFor((event) => event.type === 'debugger.pause');
      expect((await postJson(server.url, '/api/debug/step/disable', { conv_id: 'ov' })).status).toBe(200);
      expect(pause.id).toBeTruthy();
      const final = await socket.waitFor((event) => event.type === 'llm.final');
      expect(final.type === 'llm.final' && final.data.text).toContain('**5**');
      await waitIdle(server.url, 'ov');
      socket.close();
    });
  });
});
