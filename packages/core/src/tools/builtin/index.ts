// Built-in tools shipped with @cricket/core.

import type { ToolDefinition } from '../tool-definition.js';
import { calculatorTool } from './calculator.js';
import { currentTimeTool } from './current-time.js';

export { type CalculatorArgs, type CalculatorResult, calculatorTool } from './calculator.js';
export {
  type CurrentTimeArgs,
  type CurrentTimeResult,
  createCurrentTimeTool,
  currentTimeTool,
} from './current-time.js';
export { evaluateExpression, maxExpressionDepth, maxExpressionLength } from './evaluate-expression.js';

/** Every built-in tool (`calculator`, `current_time`), as a fresh array the caller may change. */
export function builtinTools(): ToolDefinition[] {
  return [calculatorTool, currentTimeTool];
}
