import { describe, expect, it } from 'vitest';
import { readConversationId, withConversationId } from './conversation-url.js';

describe('conversation URL', () => {
  it('reads ?conv= and the reference spelling ?conv_id=', () => {
    expect(readConversationId(new URL('http://h/?conv=abc'))).toBe('abc');
    expect(readConversationId(new URL('http://h/?conv_id=xyz'))).toBe('xyz');
    expect(readConversationId(new URL('http://h/?conv=%20'))).toBeUndefined();
    expect(readConversationId(new URL('http://h/'))).toBeUndefined();
  });

  it('writes the id, keeping the path and other parameters', () => {
    expect(withConversationId(new URL('http://h/app/?x=1&conv_id=old#top'), 'new').href).toBe(
      'http://h/app/?x=1&conv=new',
    );
    expect(withConversationId(new URL('http://h/app/?conv=a'), undefined).href).toBe('http://h/app/');
  });
});
