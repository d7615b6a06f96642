import { parse } from 'yaml';
import { z } from 'zod';
import { usageSchema } from '../engine/usage.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { errorMessage } from '../errors/cricket-error.js';

const stepSchema = z.strictObject({
  /** Thinking text streamed as `partial-thinking` and kept as a `reasoning` block. */
  reasoning: z.string().optional(),
  /**
   * Assistant text. Placeholders: `{{prompt}}` (last user text), `{{tool_result}}` (JSON result of the
   * last tool call), `{{tool_error}}` (its error).
   */
  text: z.string().optional(),
  tool_calls: z
    .array(z.strictObject({ name: z.string().min(1), args: z.record(z.string(), z.unknown()).default({}) }))
    .optional(),
  usage: usageSchema.optional(),
  stop_reason: z.string().optional(),
  /** Fail the engine call with this message (after streaming any text of the step). */
  error: z.string().optional(),
});

const ruleSchema = z.strictObject({
  /** Regular expression (case-insensitive) tested against the last user message. */
  match: z.string().optional(),
  /** Engine calls of one inference, in order: call N (N = tool rounds so far) plays step N. */
  steps: z.array(stepSchema).min(1),
});

/** A script for the scripted engine, usually loaded from YAML. */
export const scriptSchema = z.strictObject({
  model: z.string().default('scripted'),
  /** Milliseconds between streamed chunks. */
  pace_ms: z.number().nonnegative().default(0),
  /** Characters per streamed chunk (text is cut at word boundaries when possible). */
  chunk_chars: z.number().int().positive().default(8),
  rules: z.array(ruleSchema).min(1),
});

/** See {@link scriptSchema}. */
export type Script = z.infer<typeof scriptSchema>;
/** One engine call of a script. */
export type ScriptStep = z.infer<typeof stepSchema>;
/** A matcher plus its steps. */
export type ScriptRule = z.infer<typeof ruleSchema>;

/** Validates a parsed script object; throws `ConfigurationError` with the offending path. */
export function parseScript(value: unknown, source = 'script'): Script {
  const parsed = scriptSchema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new ConfigurationError(`invalid scripted-engine ${source}: ${detail}`, { cause: parsed.error });
  }
  for (const [index, rule] of parsed.data.rules.entries()) {
    if (rule.match === undefined) continue;
    try {
      new RegExp(rule.match, 'i');
    } catch (error) {
      throw new ConfigurationError(`invalid scripted-engine ${source}: rules.${index}.match: ${errorMessage(error)}`);
    }
  }
  return parsed.data;
}

/** Parses a YAML script; throws `ConfigurationError` on malformed YAML or an invalid shape. */
export function parseScriptYaml(source: string, name = 'script'): Script {
  let value: unknown;
  try {
    value = parse(source);
  } catch (error) {
    throw new ConfigurationError(`malformed scripted-engine ${name} YAML: ${errorMessage(error)}`, { cause: error });
  }
  return parseScript(value, name);
}
