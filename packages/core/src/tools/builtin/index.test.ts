import { describe, expect, it } from 'vitest';
import * as core from '../../index.js';
import { ToolRegistry } from '../tool-registry.js';
import { builtinTools, calculatorTool, currentTimeTool } from './index.js';

describe('builtinTools', () => {
  it('returns both tools, registrable together, as a fresh array', () => {
    const tools = builtinTools();
    expect(tools.map((tool) => tool.name)).toEqual(['calculator', 'current_time']);
    expect(tools).toContain(calculatorTool);
    expect(tools).toContain(currentTimeTool);
    expect(new ToolRegistry(tools).size).toBe(2);
    tools.pop();
    expect(builtinTools()).toHaveLength(2);
  });

  it('is exported from the package root', () => {
    expect(core.builtinTools).toBe(builtinTools);
    expect(typeof core.evaluateExpression).toBe('function');
    expect(typeof core.createCurrentTimeTool).toBe('function');
  });
});
