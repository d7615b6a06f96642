import { describe, expect, it } from 'vitest';
import { type ScanAction, StructuredScanner } from './structured-scanner.js';

function scanner(maxCaptureBytes = 1024): StructuredScanner {
  return new StructuredScanner({
    isRegistered: (tag) => tag.package === 'acme',
    malformed: 'error-events',
    maxCaptureBytes,
  });
}

describe('StructuredScanner', () => {
  it('holds back a possible close tag instead of streaming it as payload', () => {
    const scan = scanner();
    const actions: ScanAction[] = [];
    actions.push(...scan.push('<acme:x:v1>payload that is long enough</acme:x'));
    // Everything but the last (close tag length - 1) = 11 characters has been released as payload.
    expect(actions).toEqual([
      { kind: 'open', tag: { package: 'acme', type: 'x', version: 'v1' }, seq: 0 },
      { kind: 'raw', seq: 0, chunk: 'payload that is long eno' },
    ]);
    expect(scan.push(':v1>after')).toEqual([
      { kind: 'raw', seq: 0, chunk: 'ugh' },
      { kind: 'close', seq: 0, raw: 'payload that is long enough', success: true },
      { kind: 'text', text: 'after' },
    ]);
    expect(scan.capturing).toBe(false);
  });

  it('merges adjacent text and leaves unregistered tags as text', () => {
    expect(scanner().push('a <b <other:x:v1> c')).toEqual([{ kind: 'text', text: 'a <b <other:x:v1> c' }]);
  });

  it('resets after finish so the next stream numbering starts from the next block', () => {
    const scan = scanner();
    scan.push('<acme:x:v1>a');
    expect(scan.finish()).toEqual([
      { kind: 'raw', seq: 0, chunk: 'a' },
      { kind: 'close', seq: 0, raw: 'a', success: false, error: 'malformed structured block' },
    ]);
    expect(scan.capturing).toBe(false);
    expect(scan.finish()).toEqual([]);
  });

  it('skips to the close tag after an overflow, even when the close tag is split', () => {
    const scan = scanner(3);
    const actions = [...scan.push('<acme:x:v1>abcdefgh</acme'), ...scan.push(':x:v1>tail')];
    expect(actions).toEqual([
      { kind: 'open', tag: { package: 'acme', type: 'x', version: 'v1' }, seq: 0 },
      { kind: 'raw', seq: 0, chunk: 'abc' },
      { kind: 'close', seq: 0, raw: 'abc', success: false, error: 'structured block exceeds 3 bytes' },
      { kind: 'text', text: 'tail' },
    ]);
  });
});
