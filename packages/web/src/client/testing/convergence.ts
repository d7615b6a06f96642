import { isDeepStrictEqual } from 'node:util';
import { readInt64, type TimelineEntity } from '@cricket/protocol';
import type { ChatApi } from '../chat-api.js';
import type { ChatClient } from '../chat-client.js';

/** Polls `predicate` until it holds; rejects with `message` after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Entities in the client's display order: creating `seq`, then id. */
export function inDisplayOrder(entities: readonly TimelineEntity[]): TimelineEntity[] {
  return [...entities].sort(
    (a, b) => readInt64(a.createdVersion) - readInt64(b.createdVersion) || a.id.localeCompare(b.id),
  );
}

/** The server's `/timeline` entities of the client's conversation, in display order. */
export async function serverEntities(api: ChatApi, convId: string): Promise<TimelineEntity[]> {
  const snapshot = await api.timeline(convId);
  return inDisplayOrder(snapshot.entities ?? []);
}

/**
 * Waits until the client is live and its entities equal `/timeline`'s exactly (ids, kinds, contents,
 * streaming flags, timestamps, order), then returns them.
 */
export async function waitForConvergence(client: ChatClient, timeoutMs = 10_000): Promise<TimelineEntity[]> {
  let server: TimelineEntity[] = [];
  try {
    await waitUntil(
      async () => {
        server = await serverEntities(client.api, client.convId);
        const snapshot = client.getSnapshot();
        return snapshot.state === 'live' && isDeepStrictEqual(snapshot.entities, server);
      },
      `client ${client.convId} did not converge to /timeline`,
      timeoutMs,
    );
  } catch (error) {
    const describe = (entities: readonly TimelineEntity[]) =>
      entities.map((entity) => `${entity.id}:${entity.kind}:${entity.message?.content?.length ?? '-'}`).join(', ');
    const detail = `state ${client.state}\nclient: ${describe(client.getSnapshot().entities)}\nserver: ${describe(server)}`;
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${detail}`);
  }
  return server;
}

/** The content of the assistant messages, in order. */
export function assistantTexts(entities: readonly TimelineEntity[]): string[] {
  return entities
    .filter((entity) => entity.kind === 'message' && entity.message?.role === 'assistant')
    .map((entity) => entity.message?.content ?? '');
}
