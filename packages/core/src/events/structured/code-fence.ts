/** The result of {@link stripCodeFence}. */
export interface StrippedCodeFence {
  /** The fence's info string (first word), e.g. `yaml`; absent when there is no fence or no info string. */
  language?: string;
  body: string;
}

// An opening fence: optional leading blank space, three or more backticks or tildes, the info string.
const openingFence = /^\s*(`{3,}|~{3,})([^\n]*)(?:\r?\n|$)/;

/**
 * Removes a Markdown code fence around `text`. The fence must be the first non-blank content; text after the
 * closing fence is discarded. Without an opening fence the whole input is the body (unchanged). An opening
 * fence with no closing fence yet (a payload still streaming) yields everything after the opening line, minus
 * a trailing line that is only the start of a closing fence, so progressive parsers can use it.
 */
export function stripCodeFence(text: string): StrippedCodeFence {
  const open = openingFence.exec(text);
  const marker = open?.[1];
  if (!open || marker === undefined) return { body: text };
  const info = (open[2] ?? '').trim();
  // A backtick fence's info string may not contain backticks (CommonMark), so "```a```" is not a fence.
  if (marker.startsWith('`') && info.includes('`')) return { body: text };
  const language = info.split(/\s+/)[0] || undefined;
  const rest = text.slice(open[0].length);
  const fenceChar = marker.charAt(0);
  const lines = rest.split('\n');
  const body: string[] = [];
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    const isFenceRun = trimmed.length > 0 && [...trimmed].every((char) => char === fenceChar);
    if (isFenceRun && trimmed.length >= marker.length) break;
    // A short run of fence characters on the last line may be a closing fence still arriving.
    if (isFenceRun && index === lines.length - 1) break;
    body.push(line);
  }
  const joined = body.join('\n').replace(/\r$/, '');
  return language === undefined ? { body: joined } : { language, body: joined };
}
