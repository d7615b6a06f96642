// Sizes are counted per UTF-16 code unit (a surrogate counts 2 bytes, so a pair counts 4). For well-formed
// text this equals the UTF-8 length, and because it is additive it gives the same total however the
// provider split the stream (a chunk boundary may fall between the two halves of a surrogate pair).
function unitBytes(code: number): number {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdfff) return 2;
  return 3;
}

/** The UTF-8 byte length of `text` (see the note on surrogates above). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) bytes += unitBytes(text.charCodeAt(index));
  return bytes;
}

/**
 * The number of UTF-16 code units at the start of `text` whose UTF-8 size fits in `budget` bytes. The
 * prefix never ends between the two halves of a surrogate pair.
 */
export function utf8FittingPrefix(text: string, budget: number): number {
  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    const next = bytes + unitBytes(text.charCodeAt(index));
    if (next > budget) break;
    bytes = next;
    index++;
  }
  const last = text.charCodeAt(index - 1);
  if (index > 0 && index < text.length && last >= 0xd800 && last <= 0xdbff) index--;
  return index;
}
