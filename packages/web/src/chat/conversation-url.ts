/**
 * The conversation id lives in the query (`?conv=<id>`): bookmarkable, and it leaves the path to the
 * page's routes (`/debug`) and to the server's own routes. `?conv_id=` (the reference's spelling) is
 * read too.
 */

/** The conversation id in `url`, if any. */
export function readConversationId(url: URL): string | undefined {
  const id = (url.searchParams.get('conv') ?? url.searchParams.get('conv_id') ?? '').trim();
  return id || undefined;
}

/** `url` pointing at conversation `convId` (or at a new, unsaved conversation when undefined). */
export function withConversationId(url: URL, convId: string | undefined): URL {
  const next = new URL(url.href);
  next.searchParams.delete('conv_id');
  if (convId) next.searchParams.set('conv', convId);
  else next.searchParams.delete('conv');
  next.hash = '';
  return next;
}
