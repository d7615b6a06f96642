import { describe, expect, it, vi } from 'vitest';
import { EventDecodeError } from '../errors/event-decode-error.js';
import { decodeEvent, encodeEvent } from './event-codec.js';
import { FanOutSink, RecordingSink, sinkFrom } from './event-sink.js';
import type { InferenceEvent } from './inference-event.js';

const meta = {
  message_id: 'm1',
  session_id: 's1',
  inference_id: 'i1',
  turn_id: 't1',
  model: 'gpt-test',
  usage: { input_tokens: 3, output_tokens: 5, cached_tokens: 1 },
  stop_reason: 'stop',
  duration_ms: 12,
  extra: { provider: 'x' },
};

const samples: InferenceEvent[] = [
  { type: 'start', meta },
  { type: 'partial', meta, delta: 'He', completion: 'He' },
  { type: 'partial-thinking', meta, delta: 'hm', completion: 'hm' },
  { type: 'final', meta, text: 'Hello' },
  { type: 'interrupt', meta, text: 'Hel' },
  { type: 'error', meta, error_string: 'boom', code: 'http-error', blame: 'provider' },
  { type: 'tool-call', meta, tool_call: { id: 'c1', name: 'calc', input: '{"x":1}' } },
  { type: 'tool-result', meta, tool_result: { id: 'c1', result: '2' } },
  { type: 'tool-call-execute', meta, tool_call: { id: 'c1', name: 'calc', input: '{}' } },
  { type: 'tool-call-execution-result', meta, tool_result: { id: 'c1', name: 'calc', result: '2', duration_ms: 1 } },
  { type: 'log', meta, level: 'warn', message: 'careful', fields: { a: 1 } },
  { type: 'info', meta, message: 'thinking-started', data: {} },
  { type: 'debugger.pause', meta, pause_id: 'p1', phase: 'after_tools', summary: 'Review', deadline_ms: 1, extra: {} },
  {
    type: 'agent-mode-switch',
    meta,
    message: 'agentmode: mode switched',
    data: { from: 'a', to: 'b', analysis: 'why' },
  },
  { type: 'web-search-started', meta, item_id: 'ws1', query: 'cats' },
  { type: 'web-search-done', meta, item_id: 'ws1' },
  { type: 'citation', meta, title: 'T', url: 'https://x', start_index: 0, end_index: 4 },
  { type: 'code-interpreter-code-delta', meta, item_id: 'ci', delta: 'x=' },
  { type: 'mcp-args-done', meta, item_id: 'm', arguments: '{}' },
  { type: 'reasoning-text-done', meta, text: 'done' },
  { type: 'image-generation-partial-image', meta, item_id: 'img', partial_image_base64: 'AAAA' },
  { type: 'tool-search-results', meta, tool: 'web', item_id: 'r', results: [{ url: 'u', title: 't' }] },
];

describe('event JSON wire format', () => {
  it.each(samples.map((event) => [event.type, event] as const))(
    '%s decodes back into the same typed event',
    (_type, event) => {
      const decoded = decodeEvent(encodeEvent(event));
      expect(decoded).toEqual(event);
    },
  );

  it('puts type and meta at the top level', () => {
    expect(JSON.parse(encodeEvent(samples[1] as InferenceEvent))).toMatchObject({
      type: 'partial',
      meta: { message_id: 'm1' },
      delta: 'He',
    });
  });

  it.each([
    ['invalid JSON', '{"type":', /not valid JSON/],
    ['an unknown type', '{"type":"teleport","meta":{"message_id":"m"}}', /cannot decode event of type "teleport"/],
    ['missing fields', '{"type":"partial","meta":{"message_id":"m"}}', /delta/],
    ['missing meta', '{"type":"start"}', /meta/],
  ])('rejects %s with EventDecodeError', (_label, json, message) => {
    expect(() => decodeEvent(json)).toThrowError(EventDecodeError);
    expect(() => decodeEvent(json)).toThrowError(message);
  });
});

describe('sinks', () => {
  it('fan out to every sink and report a failing one without stopping the others', async () => {
    const first = new RecordingSink();
    const last = new RecordingSink();
    const failures: string[] = [];
    const fanOut = new FanOutSink(
      [
        first,
        sinkFrom(() => {
          throw new Error('sync failure');
        }),
        sinkFrom(async () => {
          throw new Error('async failure');
        }),
        last,
      ],
      (error, event) => failures.push(`${event.type}:${(error as Error).message}`),
    );
    fanOut.publish(samples[0] as InferenceEvent);
    await vi.waitFor(() => expect(failures).toHaveLength(2));
    expect(failures).toEqual(['start:sync failure', 'start:async failure']);
    expect(first.types()).toEqual(['start']);
    expect(last.types()).toEqual(['start']);
  });

  it('warns by default instead of dropping sink errors', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    new FanOutSink([
      sinkFrom(() => {
        throw new Error('nope');
      }),
    ]).publish(samples[0] as InferenceEvent);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('event sink failed on start'), expect.any(Error));
    warn.mockRestore();
  });
});
