import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../tool-definition.js';
import { evaluateExpression, maxExpressionLength } from './evaluate-expression.js';

const calculatorInput = z.object({
  expression: z
    .string()
    .describe(
      'The arithmetic expression to evaluate, e.g. "(1 + 2) * 3", "2^10", "sqrt(2) * pi", "max(3, 7, 5) % 4". ' +
        'Supports numbers (1.5e3), + - * / %, ^ or ** (power, right-associative; -2^2 is -4), parentheses, ' +
        'the functions sqrt abs round floor ceil min max pow log (base 10) ln exp sin cos tan (radians), ' +
        `and the constants pi and e. At most ${maxExpressionLength} characters.`,
    ),
});

/** Arguments of the `calculator` tool. */
export type CalculatorArgs = z.output<typeof calculatorInput>;

/** What the `calculator` tool returns: the expression as given and its value. */
export interface CalculatorResult {
  expression: string;
  /** Finite, rounded to 15 significant digits (`0.1+0.2` gives 0.3). */
  result: number;
}

/**
 * The `calculator` tool: evaluates an arithmetic expression with {@link evaluateExpression} (no
 * `eval`). Invalid expressions throw `ToolError` (`tool-invalid-arguments`) naming the position of
 * the problem, which the tool loop hands back to the model as an error result.
 */
export const calculatorTool: ToolDefinition<CalculatorArgs, CalculatorResult> = defineTool({
  name: 'calculator',
  description:
    'Evaluates an arithmetic expression exactly as written and returns its numeric value. ' +
    'Use it instead of doing arithmetic in your head.',
  input: calculatorInput,
  tags: ['builtin', 'math'],
  examples: [
    { input: { expression: '(1 + 2) * 3' }, output: { expression: '(1 + 2) * 3', result: 9 } },
    { input: { expression: '2^3^2' }, output: { expression: '2^3^2', result: 512 } },
    { input: { expression: 'round(sqrt(2) * 100)' }, output: { expression: 'round(sqrt(2) * 100)', result: 141 } },
  ],
  execute: ({ expression }) => ({ expression, result: evaluateExpression(expression) }),
});
