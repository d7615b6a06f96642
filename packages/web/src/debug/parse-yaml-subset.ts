/**
 * A small YAML reader for the documents the turn store writes (block mappings and sequences, plain,
 * quoted and block scalars, flow collections, anchors and aliases, comments). It exists because
 * `@cricket/web` may import only `@cricket/protocol` and does not declare the `yaml` package; once the
 * package is declared, `parse` from `yaml` can replace {@link parseYamlSubset} one for one.
 *
 * Not supported (they throw {@link YamlSubsetError}): several documents in one stream, complex keys
 * (`? key`), merge keys, custom tags beyond ignoring them.
 */

import {
  FlowParser,
  findClosingQuote,
  foldLines,
  foldQuotedLines,
  isBalanced,
  resolvePlain,
  stripComment,
  trimLeadingSpaces,
  trimSpaces,
  unescapeDouble,
  YamlSubsetError,
} from './yaml-subset-scalars.js';

export { YamlSubsetError } from './yaml-subset-scalars.js';

interface Line {
  /** Column of the first non-space character (the whole length for blank lines). */
  indent: number;
  text: string;
  number: number;
}

/** Parses one YAML document into plain JSON-like values (`null` for an empty document). */
export function parseYamlSubset(source: string): unknown {
  const texts = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  // The break ending the last line terminates it; it does not start one more (empty) line.
  if (texts.length > 1 && texts.at(-1) === '') texts.pop();
  const lines = texts.map((text, index): Line => ({ indent: indentOf(text), text, number: index + 1 }));
  const reader = new Reader(lines);
  reader.skipDocumentStart();
  const next = reader.peekSignificant();
  if (!next) return null;
  const value = reader.parseNode(next.indent);
  reader.expectEnd();
  return value;
}

function indentOf(text: string): number {
  let index = 0;
  while (index < text.length && text[index] === ' ') index += 1;
  return index;
}

function isBlank(text: string): boolean {
  return trimSpaces(text) === '';
}

function isDocumentMarker(text: string): boolean {
  return /^(\.\.\.|---)([ \t]|$)/.test(text);
}

function isComment(text: string): boolean {
  return trimLeadingSpaces(text).startsWith('#');
}

class Reader {
  readonly #lines: Line[];
  #position = 0;
  readonly #anchors = new Map<string, unknown>();

  constructor(lines: Line[]) {
    this.#lines = lines;
  }

  skipDocumentStart(): void {
    while (this.#position < this.#lines.length) {
      const text = this.#lines[this.#position]?.text ?? '';
      if (isBlank(text) || isComment(text) || text.startsWith('%')) {
        this.#position += 1;
        continue;
      }
      if (/^---([ \t]|$)/.test(text)) {
        const rest = trimSpaces(text.slice(3));
        if (rest === '') this.#position += 1;
        else this.#replaceCurrent(3 + indentOf(text.slice(3)), rest);
      }
      return;
    }
  }

  /** The next line that is neither blank nor a comment, without consuming it; none at a document marker. */
  peekSignificant(): Line | undefined {
    while (this.#position < this.#lines.length) {
      const line = this.#lines[this.#position];
      if (line && isDocumentMarker(line.text)) return undefined;
      if (line && !isBlank(line.text) && !isComment(line.text)) return line;
      this.#position += 1;
    }
    return undefined;
  }

  /** Everything after the document must be blank, comments, or an end marker (`...`). */
  expectEnd(): void {
    for (let index = this.#position; index < this.#lines.length; index += 1) {
      const line = this.#lines[index];
      if (!line || isBlank(line.text) || isComment(line.text)) continue;
      if (/^\.\.\.([ \t]|$)/.test(line.text)) continue;
      const message = isDocumentMarker(line.text)
        ? 'several documents in one stream are not supported'
        : `unexpected content ${JSON.stringify(trimSpaces(line.text))}`;
      throw new YamlSubsetError(message, line.number);
    }
  }

  /** Parses the node whose first line is the next significant line, indented by `indent`. */
  parseNode(indent: number): unknown {
    const line = this.peekSignificant();
    if (!line) return null;
    const content = line.text.slice(line.indent);
    if (content === '-' || content.startsWith('- ')) return this.#parseSequence(line.indent);
    const key = splitKey(content, line.number);
    if (key) return this.#parseMapping(line.indent);
    this.#position += 1;
    return this.#parseInlineValue(content, line, indent - 1);
  }

  #parseSequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      const line = this.peekSignificant();
      if (!line || line.indent !== indent) break;
      const content = line.text.slice(indent);
      if (content !== '-' && !content.startsWith('- ')) break;
      const rest = trimLeadingSpaces(content.slice(1));
      if (rest === '' || rest.startsWith('#')) {
        this.#position += 1;
        const child = this.peekSignificant();
        items.push(child && child.indent > indent ? this.parseNode(child.indent) : null);
        continue;
      }
      // The item's content starts on this line: re-read the line with the dash blanked out, so
      // `- key: value` and `- - x` parse as a mapping or a sequence at the content's column.
      const column = indent + 1 + indentOf(content.slice(1));
      const inner = rest;
      if (inner === '-' || inner.startsWith('- ') || splitKey(inner, line.number)) {
        this.#replaceCurrent(column, inner);
        items.push(this.parseNode(column));
      } else {
        this.#position += 1;
        items.push(this.#parseInlineValue(inner, line, indent));
      }
    }
    return items;
  }

  #parseMapping(indent: number): Record<string, unknown> {
    const mapping: Record<string, unknown> = {};
    for (;;) {
      const line = this.peekSignificant();
      if (!line || line.indent !== indent) break;
      const content = line.text.slice(indent);
      if (content === '-' || content.startsWith('- ')) break;
      const split = splitKey(content, line.number);
      if (!split) throw new YamlSubsetError(`expected "key: value", got ${JSON.stringify(content)}`, line.number);
      this.#position += 1;
      const rest = trimSpaces(split.rest);
      let value: unknown;
      if (rest === '' || rest.startsWith('#')) {
        const child = this.peekSignificant();
        if (child && child.indent > indent) value = this.parseNode(child.indent);
        else if (child && child.indent === indent && /^-([ \t]|$)/.test(child.text.slice(indent)))
          value = this.#parseSequence(indent);
        else value = null;
      } else {
        value = this.#parseInlineValue(rest, line, indent);
      }
      if (split.key === '<<') throw new YamlSubsetError('merge keys are not supported', line.number);
      mapping[split.key] = value;
    }
    return mapping;
  }

  /** A value that starts on `line` (already consumed) after its key or dash; `parentIndent` bounds block scalars. */
  #parseInlineValue(text: string, line: Line, parentIndent: number): unknown {
    let rest = trimSpaces(text);
    let anchor: string | undefined;
    let tag = '';
    for (;;) {
      const property = /^([&!])([^ \t]*)(?:[ \t]+|$)/.exec(rest);
      if (!property) break;
      if (property[1] === '&') anchor = property[2];
      else tag = trimSpaces(property[0]);
      rest = rest.slice(property[0].length);
    }
    let value: unknown;
    if (rest === '') {
      const child = this.peekSignificant();
      value = child && child.indent > parentIndent ? this.parseNode(child.indent) : null;
    } else if (rest.startsWith('*')) {
      const name = rest.slice(1).split(/[ \t]/)[0] ?? '';
      if (!this.#anchors.has(name)) throw new YamlSubsetError(`unknown alias *${name}`, line.number);
      value = this.#anchors.get(name);
    } else if (rest.startsWith('|') || rest.startsWith('>')) {
      value = this.#parseBlockScalar(rest, line, parentIndent);
    } else if (rest.startsWith('"') || rest.startsWith("'")) {
      value = this.#parseQuoted(rest, line);
    } else if (rest.startsWith('[') || rest.startsWith('{')) {
      value = this.#parseFlow(rest, line);
    } else {
      const plain = this.#readPlainContinuation(stripComment(rest), parentIndent);
      value = tag === '!!str' ? plain : resolvePlain(plain);
    }
    if (anchor) this.#anchors.set(anchor, value);
    return value;
  }

  /** A plain scalar may continue on more-indented lines (folded with spaces). */
  #readPlainContinuation(first: string, parentIndent: number): string {
    const parts = [first];
    while (this.#position < this.#lines.length) {
      const line = this.#lines[this.#position];
      if (!line || isBlank(line.text) || line.indent <= parentIndent || isComment(line.text)) break;
      const content = line.text.slice(line.indent);
      if (splitKey(content, line.number) || /^-([ \t]|$)/.test(content)) break;
      parts.push(stripComment(content));
      this.#position += 1;
    }
    return parts.join(' ');
  }

  #parseBlockScalar(header: string, line: Line, parentIndent: number): string {
    const match = /^([|>])([-+]?)([1-9]?)([-+]?)[ \t]*(#.*)?$/.exec(header);
    if (!match) throw new YamlSubsetError(`malformed block scalar header ${JSON.stringify(header)}`, line.number);
    const folded = match[1] === '>';
    const chomping = match[2] || match[4] || '';
    const explicitIndent = match[3] ? Number(match[3]) : 0;
    const base = Math.max(parentIndent, 0);
    let contentIndent = explicitIndent ? base + explicitIndent : 0;
    // A line of spaces only, no longer than the content indentation, is an empty line; anything else
    // (tabs, or spaces beyond the indentation) is content.
    const collected: { text: string; empty: boolean }[] = [];
    while (this.#position < this.#lines.length) {
      const current = this.#lines[this.#position];
      if (!current) break;
      const spacesOnly = /^ *$/.test(current.text);
      if (spacesOnly && (!contentIndent || current.text.length <= contentIndent)) {
        collected.push({ text: '', empty: true });
        this.#position += 1;
        continue;
      }
      if (!contentIndent) {
        if (current.indent <= parentIndent) break;
        contentIndent = current.indent;
      }
      if (current.indent < contentIndent && !spacesOnly) break;
      collected.push({ text: current.text.slice(contentIndent), empty: false });
      this.#position += 1;
    }
    let trailing = 0;
    while (trailing < collected.length && collected[collected.length - 1 - trailing]?.empty) trailing += 1;
    const body = collected.slice(0, collected.length - trailing).map((line) => line.text);
    const text = folded ? foldLines(body) : body.join('\n');
    if (body.length === 0) return chomping === '+' ? '\n'.repeat(trailing) : '';
    if (chomping === '-') return text;
    if (chomping === '+') return `${text}\n${'\n'.repeat(trailing)}`;
    return `${text}\n`;
  }

  #parseQuoted(start: string, line: Line): unknown {
    const quote = start[0] ?? '"';
    let raw = start;
    let end = findClosingQuote(raw, quote);
    const pieces: string[] = [];
    // Multi-line quoted scalars: gather lines until the closing quote.
    while (end < 0) {
      const next = this.#lines[this.#position];
      if (!next) throw new YamlSubsetError('unterminated quoted scalar', line.number);
      this.#position += 1;
      pieces.push(raw);
      raw = trimSpaces(next.text);
      end = findClosingQuote(raw, quote, 0);
    }
    pieces.push(raw.slice(0, end + 1));
    const after = trimSpaces(raw.slice(end + 1));
    if (after !== '' && !after.startsWith('#')) {
      throw new YamlSubsetError(`unexpected text after quoted scalar: ${JSON.stringify(after)}`, line.number);
    }
    const body = foldQuotedLines(pieces, quote).slice(1, -1);
    return quote === '"' ? unescapeDouble(body, line.number) : body.replaceAll("''", "'");
  }

  #parseFlow(start: string, line: Line): unknown {
    let text = start;
    // Flow collections may span lines; keep reading until the brackets balance.
    while (!isBalanced(text)) {
      const next = this.#lines[this.#position];
      if (!next) throw new YamlSubsetError('unterminated flow collection', line.number);
      this.#position += 1;
      text += ` ${trimSpaces(next.text)}`;
    }
    const parser = new FlowParser(text, line.number, this.#anchors);
    const value = parser.parseValue();
    parser.expectEnd();
    return value;
  }

  #replaceCurrent(column: number, content: string): void {
    const line = this.#lines[this.#position];
    if (!line) return;
    this.#lines[this.#position] = { indent: column, text: ' '.repeat(column) + content, number: line.number };
  }
}

/** Splits `key: rest` (or `key:` at the end of the line); `undefined` when the text is not a mapping entry. */
function splitKey(content: string, lineNumber: number): { key: string; rest: string } | undefined {
  if (content.startsWith('? ')) throw new YamlSubsetError('complex mapping keys are not supported', lineNumber);
  if (content.startsWith('"') || content.startsWith("'")) {
    const quote = content[0] ?? '"';
    const end = findClosingQuote(content, quote);
    if (end < 0) return undefined;
    const after = content.slice(end + 1);
    const colon = /^[ \t]*:([ \t]|$)/.exec(after);
    if (!colon) return undefined;
    const body = content.slice(1, end);
    const key = quote === '"' ? unescapeDouble(body, lineNumber) : body.replaceAll("''", "'");
    return { key, rest: after.slice(colon[0].length) };
  }
  if (content.startsWith('[') || content.startsWith('{') || content.startsWith('#')) return undefined;
  const match = /:([ \t]|$)/.exec(content);
  if (!match) return undefined;
  const key = trimSpaces(content.slice(0, match.index));
  if (key.includes(' #')) return undefined;
  return { key: String(resolvePlain(key) ?? ''), rest: content.slice(match.index + 1) };
}
