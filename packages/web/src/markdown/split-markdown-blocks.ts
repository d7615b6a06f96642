/**
 * Splitting a streamed answer into top-level markdown blocks, so that only the block still being
 * written is parsed again when a token arrives: re-parsing the whole answer per token costs O(n²) over
 * the answer, which a long reply makes visible as dropped frames.
 *
 * A block ends at a blank line outside a fenced code block, unless the next line is indented (a list
 * item's continuation or indented code, which belongs to the block above). Splitting there never
 * changes how a block renders, with one exception handled below: reference-style link and footnote
 * definitions apply to the whole document, so text that has any is kept as one block.
 */

const fenceOpen = /^ {0,3}(`{3,}|~{3,})/;
const definitionLine = /^ {0,3}\[[^\]\n]+\]:/m;

/** Splits markdown into top-level blocks; joining them with `\n\n` gives back an equivalent document. */
export function splitMarkdownBlocks(text: string): string[] {
  if (text === '') return [];
  if (definitionLine.test(text)) return [text];
  const lines = text.split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: { char: string; length: number } | undefined;
  let pendingBlank = 0;

  const flush = () => {
    if (current.length > 0) blocks.push(current.join('\n'));
    current = [];
  };

  for (const line of lines) {
    if (fence) {
      current.push(line);
      const close = fenceOpen.exec(line);
      const marker = close?.[1];
      if (marker?.startsWith(fence.char) && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      continue;
    }
    if (line.trim() === '') {
      pendingBlank++;
      continue;
    }
    if (pendingBlank > 0) {
      // An indented line continues the block above (list item paragraph, indented code).
      if (/^(?: {2,}|\t)/.test(line) && current.length > 0) {
        for (let index = 0; index < pendingBlank; index++) current.push('');
      } else {
        flush();
      }
      pendingBlank = 0;
    }
    current.push(line);
    const open = fenceOpen.exec(line);
    const marker = open?.[1];
    // A backtick fence's info string may not contain backticks; otherwise it is inline code.
    if (marker && !(marker.startsWith('`') && line.slice(line.indexOf(marker) + marker.length).includes('`'))) {
      fence = { char: marker.charAt(0), length: marker.length };
    }
  }
  flush();
  return blocks;
}
