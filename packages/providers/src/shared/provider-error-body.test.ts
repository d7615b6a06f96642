import { describe, expect, it } from 'vitest';
import { ProviderError } from './provider-error.js';
import { describeProviderErrorBody, readErrorBody } from './provider-error-body.js';

describe('describeProviderErrorBody', () => {
  it.each([
    [
      'OpenAI',
      { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
      { message: 'Rate limit reached', code: 'rate_limit_exceeded' },
    ],
    [
      'Anthropic',
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      { message: 'Overloaded', code: 'overloaded_error' },
    ],
    [
      'Gemini',
      { error: { code: 400, message: 'API key not valid.', status: 'INVALID_ARGUMENT' } },
      { message: 'API key not valid.', code: 'INVALID_ARGUMENT' },
    ],
    [
      'Gemini (streamed, array)',
      [{ error: { code: 429, message: 'Resource exhausted.', status: 'RESOURCE_EXHAUSTED' } }],
      { message: 'Resource exhausted.', code: 'RESOURCE_EXHAUSTED' },
    ],
    ['Ollama', { error: "model 'llama9' not found" }, { message: "model 'llama9' not found" }],
    ['a proxy', { message: 'Unauthorized', code: 401 }, { message: 'Unauthorized', code: '401' }],
    ['text', '  upstream connect error  ', { message: 'upstream connect error' }],
    ['an unknown shape', { detail: 'x' }, {}],
    ['empty text', '', {}],
  ])('%s', (_name, body, expected) => {
    expect(describeProviderErrorBody(body)).toEqual(expected);
  });

  it('caps long text messages', () => {
    expect(describeProviderErrorBody('x'.repeat(2000)).message?.length).toBe(501);
  });
});

describe('readErrorBody', () => {
  const stream = (text: string) => new Response(text).body;

  it('parses JSON bodies and keeps other text', async () => {
    expect(await readErrorBody(stream('{"error":"nope"}'))).toEqual({ error: 'nope' });
    expect(await readErrorBody(stream('<html>502</html>'))).toBe('<html>502</html>');
    expect(await readErrorBody(null)).toBe('');
  });

  it('reads at most the limit', async () => {
    const body = await readErrorBody(stream(`{"a":"${'x'.repeat(10_000)}"}`), 100);
    expect(typeof body).toBe('string');
    expect((body as string).length).toBe(100);
  });
});

describe('ProviderError', () => {
  it('derives retryability from the code and status, and serialises its fields', () => {
    const limited = new ProviderError('http-error', 'x', { provider: 'p', status: 429 });
    expect(limited.retryable).toBe(true);
    expect(new ProviderError('http-error', 'x', { provider: 'p', status: 400 }).retryable).toBe(false);
    expect(new ProviderError('stream-malformed', 'x', { provider: 'p' }).retryable).toBe(false);
    expect(limited.toJSON()).toEqual({
      name: 'ProviderError',
      code: 'http-error',
      message: 'x',
      blame: 'provider',
      provider: 'p',
      status: 429,
      retryable: true,
    });
  });
});
