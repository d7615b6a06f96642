// Regression (a CI failure): `/api/conversations` reported a conversation idle while the frames of
// its finished inference still sat in the pipeline's commit window, so a `/timeline` read right then
// showed the message as of its last throttled write ("You said: " instead of the whole answer). An
// inference now counts as running until everything it produced is committed. A long commit window
// makes the former race certain instead of occasional.
import { demoStep } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { assistantMessages, fetchTimeline, getJson, postJson } from '../testing/integration-helpers.js';
import { startTestServer, type TestServer } from '../testing/start-test-server.js';

const commitWindowMs = 300;

/** Polls `/api/conversations` back to back and returns `/timeline` read right after the first idle answer. */
async function timelineAtFirstIdle(server: TestServer, convId: string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const list = await getJson(server.url, '/api/conversations');
    const item = (list.body?.items ?? []).find((entry: { conv_id: string }) => entry.conv_id === convId);
    if (item && !item.running && item.queue_depth === 0) return fetchTimeline(server.url, convId);
  }
  throw new Error(`conversation ${convId} never became idle`);
}

describe('a conversation reported idle', () => {
  it('has the whole answer of its last inference in /timeline, and a replay of the request says completed', async () => {
    const server = await startTestServer({ paceMs: 1, commitWindowMs });
    try {
      const prompt = 'tell me something';
      const answer = demoStep({ prompt, round: 0, tools: [], results: [] }).text ?? '';
      expect(answer.length).toBeGreaterThan(40);
      const body = { conv_id: 'idle', prompt, idempotency_key: 'idle-1' };
      expect((await postJson(server.url, '/chat', body)).body.status).toBe('started');

      const snapshot = await timelineAtFirstIdle(server, 'idle');
      const message = assistantMessages(snapshot.entities ?? []).at(-1)?.message;
      expect(message?.content).toBe(answer);
      expect(message?.streaming ?? false).toBe(false);
      expect((await postJson(server.url, '/chat', body)).body.status).toBe('completed');
    } finally {
      await server.close();
    }
  });

  it('has the error entity of a failed inference in /timeline', async () => {
    const server = await startTestServer({ paceMs: 1, commitWindowMs });
    try {
      expect((await postJson(server.url, '/chat', { conv_id: 'failed', prompt: '/fail now' })).body.status).toBe(
        'started',
      );
      const snapshot = await timelineAtFirstIdle(server, 'failed');
      const errors = (snapshot.entities ?? []).filter((entity) => entity.kind === 'error');
      expect(errors).toHaveLength(1);
      expect(assistantMessages(snapshot.entities ?? []).at(-1)?.message?.streaming ?? false).toBe(false);
    } finally {
      await server.close();
    }
  });
});
