import { ToolError } from '../../errors/tool-error.js';

/** Longest expression {@link evaluateExpression} accepts, in characters. */
export const maxExpressionLength = 1000;

/** Deepest nesting (parentheses, function calls, unary signs, exponents) {@link evaluateExpression} accepts. */
export const maxExpressionDepth = 100;

type Token =
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly position: number }
  | { readonly kind: 'identifier'; readonly name: string; readonly text: string; readonly position: number }
  | { readonly kind: 'operator'; readonly text: Operator; readonly position: number }
  | { readonly kind: '(' | ')' | ','; readonly text: string; readonly position: number }
  | { readonly kind: 'end'; readonly text: ''; readonly position: number };

type Operator = '+' | '-' | '*' | '/' | '%' | '^' | '**';

interface FunctionSpec {
  /** Fewest arguments accepted. */
  readonly minArgs: number;
  /** Most arguments accepted (`Infinity` for variadic functions). */
  readonly maxArgs: number;
  readonly apply: (args: readonly number[]) => number;
}

const unary = (fn: (x: number) => number): FunctionSpec => ({
  minArgs: 1,
  maxArgs: 1,
  apply: (args) => fn(args[0] ?? Number.NaN),
});

/** Rounds half away from zero, as people expect (`round(-2.5)` is -3), unlike `Math.round`. */
const roundHalfAwayFromZero = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

const functions: ReadonlyMap<string, FunctionSpec> = new Map([
  ['sqrt', unary(Math.sqrt)],
  ['abs', unary(Math.abs)],
  ['round', unary(roundHalfAwayFromZero)],
  ['floor', unary(Math.floor)],
  ['ceil', unary(Math.ceil)],
  ['min', { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, apply: (args) => Math.min(...args) }],
  ['max', { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, apply: (args) => Math.max(...args) }],
  ['pow', { minArgs: 2, maxArgs: 2, apply: ([base = Number.NaN, exponent = Number.NaN]) => base ** exponent }],
  ['log', unary(Math.log10)],
  ['ln', unary(Math.log)],
  ['exp', unary(Math.exp)],
  ['sin', unary(Math.sin)],
  ['cos', unary(Math.cos)],
  ['tan', unary(Math.tan)],
]);

const constants: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

function syntaxError(message: string, position: number): ToolError {
  return new ToolError('tool-invalid-arguments', `${message} at position ${position}`, { blame: 'user' });
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isIdentifierStart = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z_]/.test(ch);
const isIdentifierPart = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9_]/.test(ch);
const isWhitespace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/** Splits `text` into tokens. Positions are 1-based character columns. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const position = i + 1;
    if (isWhitespace(ch)) {
      i++;
      continue;
    }
    if (isDigit(ch) || (ch === '.' && isDigit(text[i + 1]))) {
      const start = i;
      while (isDigit(text[i])) i++;
      if (text[i] === '.') {
        i++;
        while (isDigit(text[i])) i++;
      }
      // An exponent only belongs to the number when digits follow (`2e3`); otherwise `e` is left
      // for the tokenizer to report (`2e` is a number followed by the constant e, a syntax error).
      if (text[i] === 'e' || text[i] === 'E') {
        let j = i + 1;
        if (text[j] === '+' || text[j] === '-') j++;
        if (isDigit(text[j])) {
          while (isDigit(text[j])) j++;
          i = j;
        }
      }
      const literal = text.slice(start, i);
      const value = Number(literal);
      if (!Number.isFinite(value)) throw syntaxError(`number ${literal} is too large`, position);
      tokens.push({ kind: 'number', value, text: literal, position });
      continue;
    }
    if (isIdentifierStart(ch)) {
      const start = i;
      while (isIdentifierPart(text[i])) i++;
      const word = text.slice(start, i);
      tokens.push({ kind: 'identifier', name: word.toLowerCase(), text: word, position });
      continue;
    }
    if (ch === '*' && text[i + 1] === '*') {
      tokens.push({ kind: 'operator', text: '**', position });
      i += 2;
      continue;
    }
    if (ch === '+' || ch === '-' || ch === '*' || ch === '/' || ch === '%' || ch === '^') {
      tokens.push({ kind: 'operator', text: ch, position });
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch, text: ch, position });
      i++;
      continue;
    }
    throw syntaxError(`unexpected character ${JSON.stringify(ch)}`, position);
  }
  tokens.push({ kind: 'end', text: '', position: text.length + 1 });
  return tokens;
}

function describeToken(token: Token): string {
  return token.kind === 'end' ? 'end of expression' : JSON.stringify(token.text);
}

/**
 * Recursive-descent evaluator over the token list. Grammar, loosest binding first:
 *
 *     expression := term (('+' | '-') term)*
 *     term       := unary (('*' | '/' | '%') unary)*
 *     unary      := ('+' | '-') unary | power
 *     power      := primary (('^' | '**') unary)?          (right-associative)
 *     primary    := number | constant | function '(' arguments ')' | '(' expression ')'
 *
 * Unary signs bind looser than power, so `-2^2` is -(2^2) = -4 (the usual mathematical reading),
 * while the exponent may carry its own sign: `2^-1` is 0.5.
 */
class Evaluator {
  #index = 0;
  #depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  evaluate(): number {
    const value = this.#expression();
    const next = this.#peek();
    if (next.kind !== 'end') throw syntaxError(`unexpected ${describeToken(next)}`, next.position);
    return value;
  }

  #peek(): Token {
    // The token list always ends with an `end` token and the parser never moves past it.
    return this.tokens[this.#index] ?? { kind: 'end', text: '', position: 0 };
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#index++;
    return token;
  }

  #isOperator(...operators: Operator[]): Operator | undefined {
    const token = this.#peek();
    return token.kind === 'operator' && operators.includes(token.text) ? token.text : undefined;
  }

  /** Runs `parse` one nesting level deeper, enforcing {@link maxExpressionDepth}. */
  #nested<T>(position: number, parse: () => T): T {
    if (this.#depth >= maxExpressionDepth) {
      throw syntaxError(`expression is nested deeper than ${maxExpressionDepth} levels`, position);
    }
    this.#depth++;
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  #expression(): number {
    let value = this.#term();
    for (let op = this.#isOperator('+', '-'); op; op = this.#isOperator('+', '-')) {
      const { position } = this.#next();
      const right = this.#term();
      value = checked(op === '+' ? value + right : value - right, op, position);
    }
    return value;
  }

  #term(): number {
    for (let value = this.#unary(); ; ) {
      const op = this.#isOperator('*', '/', '%');
      if (!op) return value;
      const { position } = this.#next();
      const right = this.#unary();
      if (op === '*') {
        value = checked(value * right, op, position);
      } else {
        if (right === 0) throw syntaxError(op === '/' ? 'division by zero' : 'modulo by zero', position);
        value = checked(op === '/' ? value / right : value % right, op, position);
      }
    }
  }

  #unary(): number {
    const op = this.#isOperator('+', '-');
    if (!op) return this.#power();
    const { position } = this.#next();
    const operand = this.#nested(position, () => this.#unary());
    return op === '-' ? -operand : operand;
  }

  #power(): number {
    const base = this.#primary();
    const op = this.#isOperator('^', '**');
    if (!op) return base;
    const { position } = this.#next();
    // Parsing the exponent with `unary` (which reaches `power` again) makes `^` right-associative.
    const exponent = this.#nested(position, () => this.#unary());
    return checked(base ** exponent, op, position);
  }

  #primary(): number {
    const token = this.#next();
    switch (token.kind) {
      case 'number':
        return token.value;
      case '(': {
        const value = this.#nested(token.position, () => this.#expression());
        this.#expect(')', token);
        return value;
      }
      case 'identifier':
        return this.#identifier(token);
      default:
        throw syntaxError(`unexpected ${describeToken(token)}`, token.position);
    }
  }

  #identifier(token: Extract<Token, { kind: 'identifier' }>): number {
    const constant = constants.get(token.name);
    const fn = functions.get(token.name);
    const callFollows = this.#peek().kind === '(';
    if (constant !== undefined) {
      if (callFollows) throw syntaxError(`${JSON.stringify(token.text)} is a constant, not a function`, token.position);
      return constant;
    }
    if (!fn) throw syntaxError(`unknown identifier ${JSON.stringify(token.text)}`, token.position);
    if (!callFollows) {
      throw syntaxError(`function ${JSON.stringify(token.text)} must be called with parentheses`, token.position);
    }
    const open = this.#next();
    const args = this.#nested(open.position, () => {
      const values: number[] = [];
      if (this.#peek().kind === ')') return values;
      values.push(this.#expression());
      while (this.#peek().kind === ',') {
        this.#next();
        values.push(this.#expression());
      }
      return values;
    });
    this.#expect(')', open);
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      throw syntaxError(`${token.name}() expects ${arityText(fn)}, got ${args.length}`, token.position);
    }
    return checked(fn.apply(args), `${token.name}()`, token.position);
  }

  #expect(kind: ')', open: Token): void {
    const token = this.#peek();
    if (token.kind === kind) {
      this.#next();
      return;
    }
    const detail = token.kind === 'end' ? `missing ")" for "(" at position ${open.position}` : 'expected ")"';
    throw syntaxError(`${detail}, found ${describeToken(token)}`, token.position);
  }
}

function arityText(fn: FunctionSpec): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (fn.minArgs === fn.maxArgs) return plural(fn.minArgs);
  if (fn.maxArgs === Number.POSITIVE_INFINITY) return `at least ${plural(fn.minArgs)}`;
  return `${fn.minArgs} to ${plural(fn.maxArgs)}`;
}

function checked(value: number, operation: string, position: number): number {
  if (Number.isFinite(value)) return value;
  const what = Number.isNaN(value) ? 'not a number' : 'infinite';
  throw syntaxError(`result of ${operation} is ${what}`, position);
}

/**
 * Evaluates an arithmetic expression without `eval`: decimal numbers (`1.5e3`), `+ - * / %`,
 * right-associative `^`/`**`, unary signs (binding looser than power: `-2^2` is -4), parentheses,
 * the functions `sqrt abs round floor ceil min max pow log` (base 10) `ln exp sin cos tan`
 * (radians), and the constants `pi` and `e`. Names are case-insensitive.
 *
 * The result is rounded to 15 significant digits, so binary floating noise disappears
 * (`0.1+0.2` gives 0.3); it is always finite and never -0.
 *
 * Throws `ToolError` (`tool-invalid-arguments`, blame `user`) whose message ends with the 1-based
 * character position of the problem, for: syntax errors, unknown identifiers, wrong argument counts,
 * division or modulo by zero, non-finite (infinite or NaN) intermediate results, inputs longer than
 * {@link maxExpressionLength} characters and nesting deeper than {@link maxExpressionDepth} levels.
 * It throws nothing else and runs in time linear in the input.
 */
export function evaluateExpression(text: string): number {
  if (typeof text !== 'string') {
    throw new ToolError('tool-invalid-arguments', 'expression must be a string', { blame: 'user' });
  }
  if (text.length > maxExpressionLength) {
    throw syntaxError(
      `expression is ${text.length} characters long, more than the limit of ${maxExpressionLength}`,
      maxExpressionLength + 1,
    );
  }
  if (text.trim() === '') throw syntaxError('expression is empty', 1);
  const value = new Evaluator(tokenize(text)).evaluate();
  const rounded = Number(value.toPrecision(15));
  // Rounding the largest doubles up can overflow; keep the exact value then. `+ 0` turns -0 into 0.
  return (Number.isFinite(rounded) ? rounded : value) + 0;
}
