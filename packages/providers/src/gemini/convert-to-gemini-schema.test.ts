import { defineTool } from '@cricket/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { convertToGeminiSchema } from './convert-to-gemini-schema.js';

describe('convertToGeminiSchema', () => {
  it('keeps the real structure of a zod-derived tool schema and drops what Gemini rejects', () => {
    const tool = defineTool({
      name: 'search',
      description: 'Search',
      input: z.object({
        query: z.string().min(1).max(200).describe('What to look for'),
        limit: z.number().int().positive().max(50).optional(),
        sort: z.enum(['relevance', 'date']).default('relevance'),
        tags: z.array(z.string()).max(5),
        since: z.string().datetime().nullable(),
        filters: z.object({ language: z.string().length(2), exact: z.boolean() }).partial(),
      }),
      execute: () => null,
    });
    expect(convertToGeminiSchema(tool.parameters)).toEqual({
      type: 'OBJECT',
      properties: {
        query: { type: 'STRING', description: 'What to look for', minLength: 1, maxLength: 200 },
        limit: { type: 'INTEGER', minimum: 1, maximum: 50 },
        sort: { type: 'STRING', enum: ['relevance', 'date'], default: 'relevance' },
        tags: { type: 'ARRAY', items: { type: 'STRING' }, maxItems: 5 },
        since: { type: 'STRING', format: 'date-time', pattern: expect.any(String), nullable: true },
        filters: {
          type: 'OBJECT',
          properties: {
            language: { type: 'STRING', minLength: 2, maxLength: 2 },
            exact: { type: 'BOOLEAN' },
          },
        },
      },
      required: ['query', 'tags', 'since', 'filters'],
    });
  });

  it('maps type lists with null to nullable, and several types to anyOf', () => {
    expect(convertToGeminiSchema({ type: ['integer', 'null'], description: 'n' })).toEqual({
      type: 'INTEGER',
      nullable: true,
      description: 'n',
    });
    expect(convertToGeminiSchema({ type: ['string', 'number'], description: 'x' })).toEqual({
      anyOf: [
        { type: 'STRING', description: 'x' },
        { type: 'NUMBER', description: 'x' },
      ],
      description: 'x',
    });
  });

  it('turns oneOf into anyOf and merges a single-branch union', () => {
    expect(convertToGeminiSchema({ oneOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual({
      anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }],
    });
    expect(convertToGeminiSchema({ anyOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }] })).toEqual({
      type: 'STRING',
      maxLength: 3,
      nullable: true,
    });
  });

  it('keeps string enums and const, describes other enums instead of sending them', () => {
    expect(convertToGeminiSchema({ const: 'fixed' })).toEqual({ type: 'STRING', enum: ['fixed'] });
    expect(convertToGeminiSchema({ type: 'integer', enum: [1, 2, 3], description: 'Level.' })).toEqual({
      type: 'INTEGER',
      description: 'Level. Allowed values: 1, 2, 3.',
    });
    expect(convertToGeminiSchema({ enum: ['a', null] })).toEqual({ type: 'STRING', enum: ['a'], nullable: true });
  });

  it('drops unsupported keywords, formats and refs', () => {
    expect(
      convertToGeminiSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'x',
        type: 'object',
        additionalProperties: false,
        patternProperties: { '^x': {} },
        properties: {
          email: { type: 'string', format: 'email' },
          ratio: { type: 'number', format: 'double', exclusiveMinimum: 0 },
          node: { $ref: '#' },
          pair: { type: 'array', prefixItems: [{ type: 'string' }] },
        },
        required: ['email', 'missing'],
        examples: [{ email: 'a@b.c' }],
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: {
        email: { type: 'STRING' },
        ratio: { type: 'NUMBER', format: 'double' },
        node: {},
        pair: { type: 'ARRAY' },
      },
      required: ['email'],
      example: { email: 'a@b.c' },
    });
  });

  it('returns an unconstrained schema for non-objects', () => {
    expect(convertToGeminiSchema(true)).toEqual({});
    expect(convertToGeminiSchema(null)).toEqual({});
    expect(convertToGeminiSchema([1])).toEqual({});
  });
});
