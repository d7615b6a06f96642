import { describe, expect, it } from 'vitest';
import { ToolError } from '../../errors/tool-error.js';
import type { ToolExecutionContext } from '../tool-definition.js';
import { calculatorTool } from './calculator.js';

const context: ToolExecutionContext = {
  signal: new AbortController().signal,
  callId: 'c1',
  toolName: 'calculator',
  metadata: () => ({ message_id: 'm1' }),
  publish: () => {},
};

const call = (args: unknown) => calculatorTool.execute(calculatorTool.parse(args), context);

describe('calculatorTool', () => {
  it('advertises a described object schema with a required expression', () => {
    expect(calculatorTool.name).toBe('calculator');
    const parameters = calculatorTool.parameters as {
      type: string;
      required: string[];
      properties: { expression: { type: string; description: string } };
    };
    expect(parameters.type).toBe('object');
    expect(parameters.required).toEqual(['expression']);
    expect(parameters.properties.expression.type).toBe('string');
    expect(parameters.properties.expression.description).toMatch(/sqrt/);
  });

  it.each([[{}], [{ expression: 5 }], [null], ['1+1']])('parse rejects %j', (args) => {
    expect(() => calculatorTool.parse(args)).toThrow(ToolError);
    try {
      calculatorTool.parse(args);
    } catch (error) {
      expect((error as ToolError).code).toBe('tool-invalid-arguments');
    }
  });

  it('evaluates and echoes the expression', async () => {
    expect(await call({ expression: '(1+2)*3' })).toEqual({ expression: '(1+2)*3', result: 9 });
    expect(await call({ expression: '0.1+0.2' })).toEqual({ expression: '0.1+0.2', result: 0.3 });
    expect(await call({ expression: '2^3^2' })).toEqual({ expression: '2^3^2', result: 512 });
  });

  it('keeps its documented examples true', async () => {
    for (const example of calculatorTool.examples ?? []) {
      expect(await call(example.input)).toEqual(example.output);
    }
  });

  it('results are JSON-serialisable', async () => {
    const result = await call({ expression: '-0' });
    expect(JSON.parse(JSON.stringify(result))).toEqual({ expression: '-0', result: 0 });
  });

  it('throws ToolError with the position for bad expressions', async () => {
    await expect(async () => call({ expression: '1 / 0' })).rejects.toThrow(
      expect.objectContaining({
        name: 'ToolError',
        code: 'tool-invalid-arguments',
        message: 'division by zero at position 3',
      }),
    );
  });
});
