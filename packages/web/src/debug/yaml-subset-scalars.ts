// Scalars and flow collections of the YAML subset read by parse-yaml-subset.ts.

/** A document this reader cannot read, with the 1-based line where it gave up. */
export class YamlSubsetError extends Error {
  override readonly name = 'YamlSubsetError';
  readonly line: number;

  constructor(message: string, line: number) {
    super(`${message} (line ${line})`);
    this.line = line;
  }
}

const flowIndicators = /[,[\]{}]/;

/** YAML white space is spaces and tabs only (`String.prototype.trim` also strips U+2028 and friends). */
export function trimSpaces(text: string): string {
  return trimTrailingSpaces(trimLeadingSpaces(text));
}

/** Drops leading spaces and tabs. */
export function trimLeadingSpaces(text: string): string {
  return text.replace(/^[ \t]+/, '');
}

/** Drops trailing spaces and tabs. */
export function trimTrailingSpaces(text: string): string {
  return text.replace(/[ \t]+$/, '');
}

/** Drops a trailing ` # comment` from a plain scalar and trims it. */
export function stripComment(text: string): string {
  const index = text.search(/[ \t]#/);
  return trimSpaces(index >= 0 ? text.slice(0, index) : text);
}

/** Index of the closing quote of a scalar starting at `from` (default: after the opening quote), or -1. */
export function findClosingQuote(text: string, quote: string, from = 1): number {
  for (let index = from; index < text.length; index += 1) {
    const char = text[index];
    if (quote === '"' && char === '\\') {
      index += 1;
      continue;
    }
    if (char === quote) {
      if (quote === "'" && text[index + 1] === "'") {
        index += 1;
        continue;
      }
      return index;
    }
  }
  return -1;
}

/** Joins the lines of a multi-line quoted scalar: a single break folds to a space, empty lines stay breaks. */
export function foldQuotedLines(pieces: string[], quote: string): string {
  if (pieces.length === 1) return pieces[0] ?? '';
  let out = trimTrailingSpaces(pieces[0] ?? '');
  let pendingBreaks = 0;
  for (const piece of pieces.slice(1)) {
    if (piece === '') {
      pendingBreaks += 1;
      continue;
    }
    if (quote === '"' && out.endsWith('\\') && !out.endsWith('\\\\')) {
      out = out.slice(0, -1) + piece;
    } else {
      out += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) + piece : ` ${piece}`;
    }
    pendingBreaks = 0;
  }
  return out;
}

const simpleEscapes: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

export function unescapeDouble(body: string, lineNumber: number): string {
  let out = '';
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index] ?? '';
    if (char !== '\\') {
      out += char;
      continue;
    }
    const code = body[index + 1] ?? '';
    const simple = simpleEscapes[code];
    if (simple !== undefined) {
      out += simple;
      index += 1;
      continue;
    }
    const width = code === 'x' ? 2 : code === 'u' ? 4 : code === 'U' ? 8 : 0;
    const hex = body.slice(index + 2, index + 2 + width);
    if (!width || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) {
      throw new YamlSubsetError(`invalid escape \\${code}`, lineNumber);
    }
    out += String.fromCodePoint(Number.parseInt(hex, 16));
    index += 1 + width;
  }
  return out;
}

/** Folded block scalar: lines join with spaces, empty lines become breaks, more-indented lines stay as they are. */
export function foldLines(lines: string[]): string {
  let out = '';
  let previous: 'none' | 'text' | 'indented' | 'empty' = 'none';
  for (const line of lines) {
    if (line === '') {
      out += '\n';
      previous = 'empty';
      continue;
    }
    const indented = line.startsWith(' ') || line.startsWith('\t');
    if (previous === 'text' && !indented) out += ' ';
    else if (previous === 'indented' || (previous === 'text' && indented)) out += '\n';
    out += line;
    previous = indented ? 'indented' : 'text';
  }
  return out;
}

/** Whether the brackets of a flow collection are closed (quotes respected). */
export function isBalanced(text: string): boolean {
  let depth = 0;
  let quote = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (quote === '"' && char === '\\') index += 1;
      else if (char === quote) quote = '';
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '[' || char === '{') depth += 1;
    else if (char === ']' || char === '}') depth -= 1;
  }
  return depth <= 0;
}

/** Resolves a plain scalar with the YAML 1.2 core schema. */
export function resolvePlain(text: string): unknown {
  if (text === '' || text === '~' || /^(null|Null|NULL)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number.parseFloat(text);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(text)) return Number.NaN;
  return text;
}

/** Flow collections (`[a, b]`, `{a: 1}`) on one logical line. */
export class FlowParser {
  readonly #text: string;
  readonly #line: number;
  readonly #anchors: Map<string, unknown>;
  #index = 0;

  constructor(text: string, line: number, anchors: Map<string, unknown>) {
    this.#text = text;
    this.#line = line;
    this.#anchors = anchors;
  }

  parseValue(): unknown {
    this.#skipSpace();
    const char = this.#text[this.#index];
    if (char === '[') return this.#parseList();
    if (char === '{') return this.#parseMap();
    if (char === '"' || char === "'") return this.#parseQuoted();
    if (char === '*') {
      const match = /^\*([^ \t,[\]{}]+)/.exec(this.#text.slice(this.#index));
      const name = match?.[1] ?? '';
      this.#index += name.length + 1;
      if (!this.#anchors.has(name)) throw new YamlSubsetError(`unknown alias *${name}`, this.#line);
      return this.#anchors.get(name);
    }
    return resolvePlain(this.#readPlain());
  }

  expectEnd(): void {
    this.#skipSpace();
    const rest = trimSpaces(this.#text.slice(this.#index));
    if (rest !== '' && !rest.startsWith('#')) {
      throw new YamlSubsetError(`unexpected text after flow collection: ${JSON.stringify(rest)}`, this.#line);
    }
  }

  #parseList(): unknown[] {
    this.#index += 1;
    const items: unknown[] = [];
    for (;;) {
      this.#skipSpace();
      if (this.#text[this.#index] === ']') {
        this.#index += 1;
        return items;
      }
      items.push(this.parseValue());
      this.#skipSpace();
      this.#expectSeparator(']');
    }
  }

  #parseMap(): Record<string, unknown> {
    this.#index += 1;
    const map: Record<string, unknown> = {};
    for (;;) {
      this.#skipSpace();
      if (this.#text[this.#index] === '}') {
        this.#index += 1;
        return map;
      }
      const key = this.#text[this.#index] === '"' || this.#text[this.#index] === "'" ? this.#parseQuoted() : undefined;
      const keyText = key === undefined ? this.#readPlain(true) : String(key);
      this.#skipSpace();
      let value: unknown = null;
      if (this.#text[this.#index] === ':') {
        this.#index += 1;
        this.#skipSpace();
        const next = this.#text[this.#index];
        value = next === ',' || next === '}' ? null : this.parseValue();
      }
      map[key === undefined ? String(resolvePlain(keyText) ?? '') : keyText] = value;
      this.#skipSpace();
      this.#expectSeparator('}');
    }
  }

  #expectSeparator(close: string): void {
    const char = this.#text[this.#index];
    if (char === ',') {
      this.#index += 1;
      return;
    }
    if (char === close) return;
    throw new YamlSubsetError(`expected "," or "${close}" in flow collection`, this.#line);
  }

  #parseQuoted(): string {
    const quote = this.#text[this.#index] ?? '"';
    const end = findClosingQuote(this.#text, quote, this.#index + 1);
    if (end < 0) throw new YamlSubsetError('unterminated quoted scalar', this.#line);
    const body = this.#text.slice(this.#index + 1, end);
    this.#index = end + 1;
    return quote === '"' ? unescapeDouble(body, this.#line) : body.replaceAll("''", "'");
  }

  #readPlain(isKey = false): string {
    const start = this.#index;
    while (this.#index < this.#text.length) {
      const char = this.#text[this.#index] ?? '';
      if (flowIndicators.test(char)) break;
      if (isKey && char === ':' && /[ \t,[\]{}]|$/.test(this.#text[this.#index + 1] ?? '')) break;
      if (!isKey && char === ':' && /[ \t]/.test(this.#text[this.#index + 1] ?? '')) break;
      this.#index += 1;
    }
    return trimSpaces(this.#text.slice(start, this.#index));
  }

  #skipSpace(): void {
    while (/[ \t]/.test(this.#text[this.#index] ?? '')) this.#index += 1;
  }
}
