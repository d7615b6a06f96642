/** Gemini's `Type` enum, as the REST API spells it. */
export type GeminiSchemaType = 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT';

/** The OpenAPI-3.0 subset Gemini accepts for function parameters (`Schema` in the API reference). */
export interface GeminiSchema {
  type?: GeminiSchemaType;
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  items?: GeminiSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  minProperties?: number;
  maxProperties?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  example?: unknown;
  anyOf?: GeminiSchema[];
}

type JsonObject = Record<string, unknown>;

const typeNames = new Map<string, GeminiSchemaType>([
  ['string', 'STRING'],
  ['number', 'NUMBER'],
  ['integer', 'INTEGER'],
  ['boolean', 'BOOLEAN'],
  ['array', 'ARRAY'],
  ['object', 'OBJECT'],
]);

// Gemini rejects other `format` values ("only 'enum' and 'date-time' are supported for STRING").
const supportedFormats: Partial<Record<GeminiSchemaType, readonly string[]>> = {
  STRING: ['enum', 'date-time'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
};

const numericKeywords = ['minItems', 'maxItems', 'minProperties', 'maxProperties', 'minLength', 'maxLength'] as const;

/**
 * Converts a JSON Schema (as `defineTool` derives it from zod: draft 2020-12, inlined) to the
 * Gemini `Schema` subset, keeping the real structure instead of flattening it to strings:
 * - kept: `type` (upper-cased; `["x", "null"]` and `anyOf` with `{type: "null"}` become
 *   `nullable`), `properties`, `required` (only names that exist), `items`, string `enum` / `const`,
 *   `description`, `title`, `default`, first of `examples`, length / item / property counts,
 *   `pattern`, `minimum` / `maximum` (integer `exclusive*` bounds tightened by one), `anyOf` /
 *   `oneOf` (as `anyOf`), supported `format`s;
 * - dropped: `$schema`, `$id`, `$ref`, `$defs`, `additionalProperties`, `not`, conditionals,
 *   tuples and any other keyword Gemini rejects; non-string enums are dropped and listed in the
 *   description so the model still learns them;
 * - zod's ±2^53 integer bounds are dropped as noise.
 *
 * Returns `{}` (any value) for a schema that is not an object.
 */
export function convertToGeminiSchema(schema: unknown): GeminiSchema {
  if (!isObject(schema)) return {};
  const out: GeminiSchema = {};
  const notes: string[] = [];

  const types = typeList(schema.type);
  if (types.includes('null')) out.nullable = true;
  const concrete = types.filter((type) => type !== 'null');
  if (concrete.length > 1) {
    // ["string", "number"]: one branch per type, each with the other keywords.
    out.anyOf = concrete.map((type) => convertToGeminiSchema({ ...schema, type }));
    copyAnnotations(schema, out);
    return out;
  }
  const type = concrete[0] === undefined ? undefined : typeNames.get(concrete[0]);
  if (type) out.type = type;

  mergeAlternatives(schema, out);
  copyAnnotations(schema, out);
  copyEnum(schema, out, notes);

  if (isObject(schema.properties)) {
    const properties: Record<string, GeminiSchema> = {};
    for (const [name, property] of Object.entries(schema.properties))
      properties[name] = convertToGeminiSchema(property);
    out.properties = properties;
    if (Array.isArray(schema.required)) {
      const required = schema.required.filter(
        (name): name is string => typeof name === 'string' && Object.hasOwn(properties, name),
      );
      if (required.length > 0) out.required = required;
    }
  }
  // Draft-2020 tuples (`prefixItems`) and draft-4 array `items` have no Gemini equivalent.
  if (isObject(schema.items) || schema.items === true) out.items = convertToGeminiSchema(schema.items);

  for (const keyword of numericKeywords) {
    const value = schema[keyword];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) out[keyword] = value;
  }
  if (typeof schema.pattern === 'string') out.pattern = schema.pattern;
  copyBounds(schema, out);
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  if (format && out.type && supportedFormats[out.type]?.includes(format)) out.format = format;
  if (notes.length > 0) out.description = [out.description, ...notes].filter(Boolean).join(' ');
  return out;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

function copyAnnotations(schema: JsonObject, out: GeminiSchema): void {
  if (typeof schema.title === 'string') out.title = schema.title;
  if (typeof schema.description === 'string') out.description = schema.description;
  if (schema.default !== undefined) out.default = schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) out.example = schema.examples[0];
}

// `anyOf` / `oneOf`: `{type: "null"}` branches become `nullable`; a single remaining branch is
// merged into the schema itself (zod's `.nullable()` / `.optional()` shapes), several stay `anyOf`.
// A single-branch `allOf` is merged too; multi-branch `allOf` (intersections) has no equivalent.
function mergeAlternatives(schema: JsonObject, out: GeminiSchema): void {
  const branches = [schema.anyOf, schema.oneOf].flatMap((list) => (Array.isArray(list) ? list : []));
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) branches.push(schema.allOf[0]);
  if (branches.length === 0) return;
  const concrete = branches.filter((branch) => !(isObject(branch) && branch.type === 'null'));
  const nullable = out.nullable === true || concrete.length < branches.length;
  if (concrete.length === 1) Object.assign(out, convertToGeminiSchema(concrete[0]));
  else if (concrete.length > 1) out.anyOf = concrete.map(convertToGeminiSchema);
  if (nullable) out.nullable = true;
}

// Gemini enums are strings only. `const` is a one-value enum. Other values are described instead.
function copyEnum(schema: JsonObject, out: GeminiSchema, notes: string[]): void {
  const values = Array.isArray(schema.enum) ? [...schema.enum] : 'const' in schema ? [schema.const] : undefined;
  if (!values) return;
  if (values.includes(null)) out.nullable = true;
  const present = values.filter((value) => value !== null);
  if (present.length === 0) return;
  if (present.every((value): value is string => typeof value === 'string')) {
    out.enum = present;
    out.type ??= 'STRING';
  } else {
    notes.push(`Allowed values: ${present.map((value) => JSON.stringify(value)).join(', ')}.`);
  }
}

function copyBounds(schema: JsonObject, out: GeminiSchema): void {
  const integer = out.type === 'INTEGER';
  const bound = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER
      ? value
      : undefined;
  const minimum = bound(schema.minimum);
  const maximum = bound(schema.maximum);
  const exclusiveMinimum = bound(schema.exclusiveMinimum);
  const exclusiveMaximum = bound(schema.exclusiveMaximum);
  if (minimum !== undefined) out.minimum = minimum;
  else if (integer && exclusiveMinimum !== undefined) out.minimum = Math.floor(exclusiveMinimum) + 1;
  if (maximum !== undefined) out.maximum = maximum;
  else if (integer && exclusiveMaximum !== undefined) out.maximum = Math.ceil(exclusiveMaximum) - 1;
}
