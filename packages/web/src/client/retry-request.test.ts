import { describe, expect, it } from 'vitest';
import { ChatClientError } from './chat-client-error.js';
import { retryRequest } from './retry-request.js';

function failing(errors: unknown[]): { request: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    request: async () => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return 'ok';
    },
    calls: () => calls,
  };
}

describe('retryRequest', () => {
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };

  it('repeats requests that got no response or a 502/503/504, with backoff delays', async () => {
    sleeps.length = 0;
    const { request, calls } = failing([
      new ChatClientError('network_error', 'socket hang up'),
      new ChatClientError('unavailable', 'shutting down', { status: 503 }),
      new ChatClientError('timeout', 'slow'),
    ]);
    await expect(retryRequest(request, { sleep, backoff: { random: () => 0 } })).resolves.toBe('ok');
    expect(calls()).toBe(4);
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it('does not repeat requests the server refused, nor foreign errors', async () => {
    const refused = failing([new ChatClientError('unknown_profile', 'no such profile', { status: 404 })]);
    await expect(retryRequest(refused.request, { sleep })).rejects.toMatchObject({ code: 'unknown_profile' });
    expect(refused.calls()).toBe(1);
    const bug = failing([new TypeError('bug')]);
    await expect(retryRequest(bug.request, { sleep })).rejects.toThrow(TypeError);
    expect(bug.calls()).toBe(1);
    const aborted = failing([new ChatClientError('aborted', 'cancelled')]);
    await expect(retryRequest(aborted.request, { sleep })).rejects.toMatchObject({ code: 'aborted' });
  });

  it('gives up after the configured retries with the last error', async () => {
    const errors = Array.from({ length: 5 }, (_, index) => new ChatClientError('network_error', `down ${index}`));
    const { request, calls } = failing(errors);
    await expect(retryRequest(request, { retries: 2, sleep })).rejects.toThrow('down 2');
    expect(calls()).toBe(3);
  });
});
