// Regression: a server closed right after an answer must not touch its database afterwards. Deltas
// arm the 250 ms delta-write throttle timer; `close()` drains the pipeline and closes the database;
// the timer then fired into a flush of nothing, which failed with "The database connection is not
// open" ("frame commit failed" in the log) — seen at the end of `cricket chat` on a local database.
import { describe, expect, it } from 'vitest';
import { postJson, sleep, waitIdle } from '../testing/integration-helpers.js';
import { startTestServer } from '../testing/start-test-server.js';

describe('closing the server right after an answer', () => {
  it('commits nothing once closed: no frame commit failure afterwards', async () => {
    const errors: string[] = [];
    const server = await startTestServer({
      paceMs: 5,
      logger: {
        info: () => undefined,
        warn: () => undefined,
        error: (object, message) => errors.push(`${message ?? ''} ${JSON.stringify(object)}`),
      },
    });
    const response = await postJson(server.url, '/chat', { conv_id: 'closing', prompt: '/long' });
    expect(response.status, response.text).toBe(200);
    await waitIdle(server.url, 'closing', 20_000);
    await server.close();
    // Longer than the delta-write throttle interval, so any timer armed by the last deltas has fired.
    await sleep(400);
    expect(errors).toEqual([]);
  });
});
