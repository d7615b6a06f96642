import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReplayResponse } from './replay-response.js';

/** Content types by fixture extension: what the real provider sends for that body. */
const contentTypes = new Map<string, string>([
  ['.sse', 'text/event-stream; charset=utf-8'],
  ['.ndjson', 'application/x-ndjson'],
  ['.json', 'application/json'],
  ['.txt', 'text/plain; charset=utf-8'],
  ['.html', 'text/html; charset=utf-8'],
]);

/** The raw bytes of a fixture file (a path or a `file:` URL, e.g. `new URL('./__fixtures__/x.sse', import.meta.url)`). */
export function readFixture(file: string | URL): Uint8Array {
  return readFileSync(file instanceof URL ? fileURLToPath(file) : file);
}

/** The content type the provider would send for a fixture, from its extension. */
export function fixtureContentType(file: string | URL): string {
  const path = file instanceof URL ? fileURLToPath(file) : file;
  return contentTypes.get(extname(path).toLowerCase()) ?? 'application/octet-stream';
}

/**
 * A {@link ReplayResponse} serving a fixture file byte for byte (re-chunked by the server), with the
 * content type of its extension. `overrides` sets the status, a cut-off, a delay, ...
 */
export function fixtureResponse(file: string | URL, overrides: Partial<ReplayResponse> = {}): ReplayResponse {
  return {
    ...overrides,
    body: overrides.body ?? readFixture(file),
    headers: { 'content-type': fixtureContentType(file), ...overrides.headers },
  };
}
