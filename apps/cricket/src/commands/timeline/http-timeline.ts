import { errorMessage } from '@cricket/core/errors';
import { readInt64, type TimelineEntity, type TimelineSnapshot, timelineSnapshotSchema } from '@cricket/protocol';
import { CliFailure } from '../cli-support.js';
import { type EntityRow, entityRowFromEntity } from './entity-row.js';
import type { SnapshotQuery, SnapshotView, TimelineSource, VersionRange } from './timeline-source.js';

/**
 * `<base>/timeline?<query>`. The base's path is a mount root and is kept, with or without a trailing
 * slash (`http://h/app` and `http://h/app/` both give `http://h/app/timeline`); its query and fragment
 * are dropped.
 */
export function timelineUrl(baseUrl: string, query: Record<string, string | number>): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/timeline`;
  url.search = '';
  url.hash = '';
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  return url.toString();
}

/** Settings of {@link HttpTimelineSource}. */
export interface HttpTimelineOptions {
  /** The server's base URL, including its mount root. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  authToken?: string | undefined;
  /** How long one request may take (default 30 s). */
  timeoutMs?: number;
}

/** `limit` meaning "every entity": the server treats 0 as its default page (5000), not as all. */
const everyEntity = Number.MAX_SAFE_INTEGER;

/** Longest part of an error body quoted in a failure message. */
const maxQuotedBody = 2000;

/**
 * Reads a running server's `GET <base>/timeline?conv_id=&since_version=&limit=`, validated with the
 * protocol's `timelineSnapshotSchema`. The body carries the conversation's version and each entity's
 * `createdVersion`, but not the version of each entity's last write, so rows have `version: null`.
 * Version bounds are still exact: `since_version` filters on that version on the server (min), and
 * a second request's entities above the max are left out. The server skips rows it cannot decode.
 */
export class HttpTimelineSource implements TimelineSource {
  readonly perEntityVersions = false;
  readonly #options: HttpTimelineOptions;

  constructor(options: HttpTimelineOptions) {
    this.#options = options;
  }

  async snapshot(convId: string, query: SnapshotQuery): Promise<SnapshotView> {
    const { snapshot, text } = await this.#get(convId, query.sinceVersion, query.limit);
    return {
      convId: snapshot.convId ?? convId,
      version: readInt64(snapshot.version),
      serverTimeMs: readInt64(snapshot.serverTimeMs),
      entities: snapshot.entities ?? [],
      json: text,
    };
  }

  async entities(convId: string, range: VersionRange): Promise<EntityRow[]> {
    let entities: TimelineEntity[] = (await this.#get(convId, Math.max(range.min - 1, 0), 0)).snapshot.entities ?? [];
    if (range.max > 0) {
      const newer = (await this.#get(convId, range.max, 0)).snapshot.entities ?? [];
      const above = new Set(newer.map((entity) => entity.id));
      entities = entities.filter((entity) => !above.has(entity.id));
    }
    return entities.map((entity) => entityRowFromEntity(convId, entity));
  }

  /** One `/timeline` request; `limit` 0 = every entity. */
  async #get(
    convId: string,
    sinceVersion: number,
    limit: number,
  ): Promise<{ snapshot: TimelineSnapshot; text: string }> {
    const url = timelineUrl(this.#options.baseUrl, {
      conv_id: convId,
      since_version: sinceVersion,
      limit: limit > 0 ? limit : everyEntity,
    });
    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#options.authToken) headers.authorization = `Bearer ${this.#options.authToken}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw new CliFailure(`cannot reach ${url}: ${describeFetchError(error, timeoutMs)}`);
    }
    if (!response.ok) {
      const reason = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      throw new CliFailure(`GET ${url} answered ${reason}: ${quote(text)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliFailure(`GET ${url} answered a body that is not JSON: ${quote(text)}`);
    }
    const parsed = timelineSnapshotSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
      throw new CliFailure(`GET ${url} answered a body that is not a timeline snapshot: ${issues.join('; ')}`);
    }
    return { snapshot: parsed.data, text };
  }
}

function quote(body: string): string {
  const text = body.trim();
  if (text === '') return '(empty body)';
  return text.length > maxQuotedBody ? `${text.slice(0, maxQuotedBody)}...` : text;
}

/** The reason behind `fetch failed`: the socket error (ECONNREFUSED, ENOTFOUND…) or the timeout. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return cause.message || (typeof code === 'string' ? code : errorMessage(error));
  }
  return errorMessage(error);
}
