import { z } from 'zod';
import { ToolError } from '../errors/tool-error.js';
import type { EventMetadata } from '../events/event-metadata.js';
import type { InferenceEvent } from '../events/inference-event.js';

/** A JSON Schema object, as advertised to models. */
export type JsonSchema = Record<string, unknown>;

/** What a running tool receives besides its arguments. */
export interface ToolExecutionContext {
  /** Fires on cancellation of the inference or when the execution timeout elapses. */
  readonly signal: AbortSignal;
  readonly callId: string;
  readonly toolName: string;
  /** Correlation metadata of the inference (a fresh `message_id` per call), for events the tool publishes. */
  readonly metadata: () => EventMetadata;
  /** Publishes an event (e.g. a `log`); missing correlation ids are filled from {@link metadata}. */
  readonly publish: (event: InferenceEvent) => void;
}

/** An example shown in documentation (not sent to models). */
export interface ToolExample {
  input: unknown;
  output?: unknown;
  description?: string;
}

/**
 * A tool the model can call. `parameters` is the JSON Schema advertised to the model; `parse`
 * validates and coerces raw arguments before `execute` runs. Results must be JSON-serialisable.
 */
export interface ToolDefinition<Args = unknown, Result = unknown> {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  readonly examples?: readonly ToolExample[];
  readonly tags?: readonly string[];
  readonly version?: string;
  parse(args: unknown): Args;
  execute(args: Args, context: ToolExecutionContext): Result | Promise<Result>;
}

const toolNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Options of {@link defineTool}. */
export interface DefineToolOptions<Schema extends z.ZodType, Result> {
  name: string;
  description: string;
  /**
   * Input schema; its JSON Schema (draft 2020-12, no `$ref`s, the *input* side: fields with `.default()`
   * are optional) is what the model sees.
   */
  input: Schema;
  execute(args: z.output<Schema>, context: ToolExecutionContext): Result | Promise<Result>;
  examples?: readonly ToolExample[];
  tags?: readonly string[];
  version?: string;
}

/**
 * Defines a tool from a zod schema and a handler. Throws `ToolError` (`tool-registration-invalid`)
 * when the name is not 1–64 characters of `[A-Za-z0-9_-]` or the schema is not an object schema.
 */
export function defineTool<Schema extends z.ZodType, Result>(
  options: DefineToolOptions<Schema, Result>,
): ToolDefinition<z.output<Schema>, Result> {
  if (!toolNamePattern.test(options.name)) {
    throw new ToolError(
      'tool-registration-invalid',
      `invalid tool name ${JSON.stringify(options.name)}: use 1-64 characters of letters, digits, _ and -`,
    );
  }
  const parameters = closeObjects(
    z.toJSONSchema(options.input, { target: 'draft-2020-12', reused: 'inline', unrepresentable: 'any', io: 'input' }),
  ) as JsonSchema;
  if (parameters.type !== 'object') {
    throw new ToolError('tool-registration-invalid', `tool ${options.name}: input schema must describe an object`);
  }
  const schema = options.input;
  return {
    name: options.name,
    description: options.description,
    parameters,
    ...(options.examples ? { examples: options.examples } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
    ...(options.version ? { version: options.version } : {}),
    parse(args: unknown) {
      const parsed = schema.safeParse(args);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
          .join('; ');
        throw new ToolError('tool-invalid-arguments', `invalid arguments for ${options.name}: ${detail}`, {
          blame: 'user',
        });
      }
      return parsed.data;
    },
    execute: options.execute,
  };
}

/**
 * The input-side JSON Schema leaves objects open (zod strips unknown keys on parse); models should not
 * invent keys, so every object schema without an explicit `additionalProperties` is closed.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema as Record<string, unknown>).map(
    ([key, value]) => [key, closeObjects(value)] as const,
  );
  const out: Record<string, unknown> = Object.fromEntries(entries);
  if (out.type === 'object' && out.properties !== undefined && !('additionalProperties' in out))
    out.additionalProperties = false;
  return out;
}
