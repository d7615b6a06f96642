import { describe, expect, it } from 'vitest';
import { ToolError } from '../../errors/tool-error.js';
import { evaluateExpression, maxExpressionDepth, maxExpressionLength } from './evaluate-expression.js';

/** The ToolError `evaluateExpression(text)` throws; fails the test when it returns or throws anything else. */
function failureOf(text: string): ToolError {
  try {
    evaluateExpression(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return error as ToolError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('evaluateExpression', () => {
  describe('numbers', () => {
    it.each([
      ['42', 42],
      ['3.25', 3.25],
      ['.5', 0.5],
      ['5.', 5],
      ['1.5e3', 1500],
      ['2E-2', 0.02],
      ['1e+2', 100],
      ['  7  ', 7],
      ['\t1\n+\n2 ', 3],
    ])('%j = %d', (text, expected) => {
      expect(evaluateExpression(text)).toBe(expected);
    });
  });

  describe('precedence and associativity', () => {
    it.each([
      ['2*3+4', 10],
      ['2+3*4', 14],
      ['(1+2)*3', 9],
      ['10-4-3', 3],
      ['100/10/5', 2],
      ['7%4*2', 6],
      ['2^3^2', 512],
      ['2**3**2', 512],
      ['(2^3)^2', 64],
      ['2^3*2', 16],
      ['2*3^2', 18],
      // Unary minus binds looser than power: -2^2 is -(2^2), as in mathematics and Python.
      ['-2^2', -4],
      ['(-2)^2', 4],
      ['2^-1', 0.5],
      ['2^-2^2', 0.0625],
      ['-3*-2', 6],
      ['--3', 3],
      ['+-+3', -3],
      ['1 - -1', 2],
      ['-(1+2)', -3],
      ['10 % 3', 1],
      ['-7 % 3', -1],
      ['5.5 % 2', 1.5],
      ['((((1))))', 1],
    ])('%s = %d', (text, expected) => {
      expect(evaluateExpression(text)).toBe(expected);
    });
  });

  describe('functions and constants', () => {
    it.each([
      ['sqrt(16)', 4],
      ['abs(-3.5)', 3.5],
      ['round(2.5)', 3],
      ['round(-2.5)', -3],
      ['round(2.4)', 2],
      ['floor(-1.5)', -2],
      ['ceil(1.2)', 2],
      ['min(3, 1, 2)', 1],
      ['max(3, 1, 2)', 3],
      ['min(4)', 4],
      ['pow(2, 10)', 1024],
      ['log(1000)', 3],
      ['ln(e)', 1],
      ['exp(0)', 1],
      ['sin(0)', 0],
      ['cos(pi)', -1],
      ['tan(0)', 0],
      ['pi', Number(Math.PI.toPrecision(15))],
      ['e', Number(Math.E.toPrecision(15))],
      ['2*pi', Number((2 * Math.PI).toPrecision(15))],
      ['SQRT(4) + PI - Pi', 2],
      ['max(1, min(5, 3) * 2, sqrt(49))', 7],
      ['sqrt(3^2 + 4^2)', 5],
    ])('%s = %d', (text, expected) => {
      expect(evaluateExpression(text)).toBe(expected);
    });

    it.each([
      ['sqrt()', 'sqrt() expects 1 argument, got 0 at position 1'],
      ['sqrt(1, 2)', 'sqrt() expects 1 argument, got 2 at position 1'],
      ['1 + pow(2)', 'pow() expects 2 arguments, got 1 at position 5'],
      ['pow(1,2,3)', 'pow() expects 2 arguments, got 3 at position 1'],
      ['max()', 'max() expects at least 1 argument, got 0 at position 1'],
    ])('%s has the wrong arity', (text, message) => {
      expect(failureOf(text).message).toBe(message);
    });
  });

  it('rounds floating noise to 15 significant digits', () => {
    expect(evaluateExpression('0.1+0.2')).toBe(0.3);
    expect(evaluateExpression('0.1*3')).toBe(0.3);
    expect(evaluateExpression('1/3')).toBe(0.333333333333333);
    expect(evaluateExpression('1.7976931348623157e308')).toBe(Number.MAX_VALUE);
    expect(Object.is(evaluateExpression('-0'), 0)).toBe(true);
    expect(Object.is(evaluateExpression('0 * -1'), 0)).toBe(true);
    // Rounding is relative (significant digits), so tiny genuine values such as sin(pi) stay as they are.
    expect(evaluateExpression('sin(pi)')).toBeCloseTo(0, 15);
    expect(evaluateExpression('1e-20 * 3')).toBe(3e-20);
  });

  describe('errors name the problem and its 1-based position', () => {
    it.each([
      ['(1 + 2))', 'unexpected ")" at position 8'],
      ['1 +', 'unexpected end of expression at position 4'],
      ['', 'expression is empty at position 1'],
      ['   ', 'expression is empty at position 1'],
      ['1 2', 'unexpected "2" at position 3'],
      ['2e', 'unexpected "e" at position 2'],
      ['1.2.3', 'unexpected ".3" at position 4'],
      ['(1 + 2', 'missing ")" for "(" at position 1, found end of expression at position 7'],
      ['sqrt(4', 'missing ")" for "(" at position 5, found end of expression at position 7'],
      ['min(1 2)', 'expected ")", found "2" at position 7'],
      ['()', 'unexpected ")" at position 2'],
      ['1 + * 2', 'unexpected "*" at position 5'],
      ['1, 2', 'unexpected "," at position 2'],
      ['2 $ 3', 'unexpected character "$" at position 3'],
      ['.', 'unexpected character "." at position 1'],
      ['x + 1', 'unknown identifier "x" at position 1'],
      ['1 + foo(2)', 'unknown identifier "foo" at position 5'],
      ['sqrt', 'function "sqrt" must be called with parentheses at position 1'],
      ['sqrt 4', 'function "sqrt" must be called with parentheses at position 1'],
      ['pi(2)', '"pi" is a constant, not a function at position 1'],
      ['1 / 0', 'division by zero at position 3'],
      ['1 / (2 - 2)', 'division by zero at position 3'],
      ['5 % 0', 'modulo by zero at position 3'],
      ['sqrt(-1)', 'result of sqrt() is not a number at position 1'],
      ['ln(0)', 'result of ln() is infinite at position 1'],
      ['10^400', 'result of ^ is infinite at position 3'],
      ['(-8)^(1/3)', 'result of ^ is not a number at position 5'],
      ['1e308 * 10', 'result of * is infinite at position 7'],
      ['1e308 + 1e308', 'result of + is infinite at position 7'],
      ['-1e308 - 1e308', 'result of - is infinite at position 8'],
      ['exp(1000)', 'result of exp() is infinite at position 1'],
      ['1e400', 'number 1e400 is too large at position 1'],
    ])('%j', (text, message) => {
      const error = failureOf(text);
      expect(error.code).toBe('tool-invalid-arguments');
      expect(error.blame).toBe('user');
      expect(error.message).toBe(message);
    });
  });

  describe('limits', () => {
    it(`accepts ${maxExpressionLength} characters and rejects more`, () => {
      const longest = `1${'+1'.repeat(499)} `;
      expect(longest).toHaveLength(maxExpressionLength);
      expect(evaluateExpression(longest)).toBe(500);
      expect(failureOf(`${'1'.padEnd(maxExpressionLength, ' ')} `).message).toBe(
        `expression is ${maxExpressionLength + 1} characters long, more than the limit of ${maxExpressionLength} at position ${maxExpressionLength + 1}`,
      );
    });

    it(`accepts ${maxExpressionDepth} nested parentheses and rejects more`, () => {
      const nested = (depth: number) => `${'('.repeat(depth)}1${')'.repeat(depth)}`;
      expect(evaluateExpression(nested(maxExpressionDepth))).toBe(1);
      expect(failureOf(nested(maxExpressionDepth + 1)).message).toBe(
        `expression is nested deeper than ${maxExpressionDepth} levels at position ${maxExpressionDepth + 1}`,
      );
    });

    it('counts function calls, unary signs and exponents as nesting', () => {
      expect(
        failureOf(`${'abs('.repeat(maxExpressionDepth + 1)}1${')'.repeat(maxExpressionDepth + 1)}`).message,
      ).toMatch(/nested deeper than 100 levels/);
      expect(evaluateExpression(`${'-'.repeat(maxExpressionDepth)}1`)).toBe(1);
      expect(failureOf(`${'-'.repeat(maxExpressionDepth + 1)}1`).message).toMatch(/nested deeper/);
      expect(failureOf(`1${'^1'.repeat(maxExpressionDepth + 1)}`).message).toMatch(/nested deeper/);
    });
  });

  it('rejects non-string input from untyped callers', () => {
    expect(failureOf(5 as unknown as string).message).toBe('expression must be a string');
  });

  it('fuzz: random input returns a finite number or throws ToolError, and never hangs', () => {
    // mulberry32: a tiny seeded PRNG, so failures reproduce.
    let seed = 0x5eed1234;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet = '0123456789+-*/%^().e pisqrt,';
    const started = Date.now();
    let values = 0;
    for (let n = 0; n < 2000; n++) {
      // Mostly short strings, a few long enough to hit the nesting and length limits.
      const length = n % 100 === 0 ? 900 + Math.floor(random() * 200) : Math.floor(random() * 40);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      try {
        const value = evaluateExpression(text);
        expect(Number.isFinite(value), text).toBe(true);
        values++;
      } catch (error) {
        if (!(error instanceof ToolError)) throw new Error(`${JSON.stringify(text)} threw ${String(error)}`);
        expect(error.code).toBe('tool-invalid-arguments');
        expect(error.message).toMatch(/ at position \d+$/);
      }
    }
    expect(values).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
