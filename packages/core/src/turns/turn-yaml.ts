import { readFile, writeFile } from 'node:fs/promises';
import { parse, stringify, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { TurnError } from '../errors/turn-error.js';
import { type Block, type BlockKind, type BlockPayloads, blockKinds, isBlockKind } from './block.js';
import { createTurn, type Turn } from './turn.js';
import { createBlockMetadata } from './typed-store.js';

/** The YAML format version written by {@link turnToYaml} and accepted by {@link turnFromYaml}. */
export const turnYamlVersion = 1;

/** Options of {@link turnToYaml}. */
export interface TurnYamlOptions {
  /** Drop `Turn.data` from the output (e.g. for compact logs). */
  omitData?: boolean;
}

const storeSchema = z.record(z.string(), z.unknown()).nullish();
const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const imageSchema = z.union([
  z.looseObject({ media_type: z.string(), url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
  z.looseObject({ media_type: z.string(), content: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
]);

/** Payload schemas per kind; unknown payload keys are kept so round-trips are lossless. */
const payloadSchemas: { [K in BlockKind]: z.ZodType<BlockPayloads[K]> } = {
  system: z.looseObject({ text: text.default('') }),
  user: z.looseObject({ text: text.default(''), images: z.array(imageSchema).optional() }),
  llm_text: z.looseObject({ text: text.default(''), item_id: z.string().optional() }),
  tool_call: z.looseObject({
    id: z.string().min(1),
    name: z.string().min(1),
    args: z.unknown().default({}),
    item_id: z.string().optional(),
  }),
  tool_use: z.looseObject({
    id: z.string().min(1),
    result: z
      .union([z.string(), z.null()])
      .optional()
      .transform((value) => value ?? undefined),
    error: z
      .string()
      .nullish()
      .transform((value) => value ?? ''),
  }),
  reasoning: z.looseObject({
    text: z.string().optional(),
    encrypted_content: z.string().optional(),
    item_id: z.string().optional(),
    signature: z.string().optional(),
  }),
  other: z.looseObject({ text: z.string().optional() }),
} as { [K in BlockKind]: z.ZodType<BlockPayloads[K]> };

const blockSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  kind: z.string(),
  role: z.string().optional(),
  payload: z.record(z.string(), z.unknown()).nullish(),
  metadata: storeSchema,
});

const turnSchema = z.object({
  version: z.number().optional(),
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  blocks: z.array(z.unknown()).nullish(),
  metadata: storeSchema,
  data: storeSchema,
});

function issuesText(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Converts a Turn to a plain object in the YAML/JSON shape (`version`, `id`, `blocks`, `metadata`, `data`). */
export function turnToPlain(turn: Turn, options: TurnYamlOptions = {}): Record<string, unknown> {
  const plain: Record<string, unknown> = { version: turnYamlVersion };
  if (turn.id) plain.id = turn.id;
  plain.blocks = turn.blocks.map((block) => {
    const out: Record<string, unknown> = {};
    if (block.id) out.id = block.id;
    out.kind = block.kind;
    const role = block.role || (block.kind === 'llm_text' ? 'assistant' : undefined);
    if (role) out.role = role;
    const payload = Object.fromEntries(Object.entries(block.payload).filter(([, value]) => value !== undefined));
    if (Object.keys(payload).length > 0) out.payload = payload;
    if (!block.metadata.isEmpty()) out.metadata = block.metadata.toJSON();
    return out;
  });
  if (!turn.metadata.isEmpty()) plain.metadata = turn.metadata.toJSON();
  if (!options.omitData && !turn.data.isEmpty()) plain.data = turn.data.toJSON();
  return plain;
}

/**
 * Builds a Turn from a plain object (parsed YAML or JSON). Throws `TurnError`: `turn-invalid` for a
 * malformed shape, `unknown-block-kind` for a kind outside the seven, `value-not-serializable` for
 * store values that cannot be represented.
 */
export function turnFromPlain(value: unknown): Turn {
  if (value === null || value === undefined) return createTurn();
  const parsed = turnSchema.safeParse(value);
  if (!parsed.success) throw new TurnError('turn-invalid', `invalid turn: ${issuesText(parsed.error)}`);
  const { version, id, blocks, metadata, data } = parsed.data;
  if (version !== undefined && version !== turnYamlVersion) {
    throw new TurnError(
      'turn-invalid',
      `unsupported turn format version ${version} (this build reads version ${turnYamlVersion})`,
    );
  }
  const turn = createTurn({ id: id ?? '' });
  for (const [key, value] of Object.entries(metadata ?? {})) turn.metadata.setRaw(key, value);
  for (const [key, value] of Object.entries(data ?? {})) turn.data.setRaw(key, value);
  (blocks ?? []).forEach((raw, index) => {
    turn.blocks.push(blockFromPlain(raw, index));
  });
  return turn;
}

function blockFromPlain(raw: unknown, index: number): Block {
  const parsed = blockSchema.safeParse(raw);
  if (!parsed.success) throw new TurnError('turn-invalid', `invalid block ${index}: ${issuesText(parsed.error)}`);
  const kind = parsed.data.kind.trim().toLowerCase();
  if (!isBlockKind(kind)) {
    throw new TurnError(
      'unknown-block-kind',
      `block ${index}: unknown kind ${JSON.stringify(parsed.data.kind)} (expected one of ${blockKinds.join(', ')})`,
    );
  }
  const payload = payloadSchemas[kind].safeParse(parsed.data.payload ?? {});
  if (!payload.success) {
    throw new TurnError('turn-invalid', `block ${index} (${kind}): invalid payload: ${issuesText(payload.error)}`);
  }
  const role = parsed.data.role || (kind === 'llm_text' ? 'assistant' : undefined);
  const payloadValue = payload.data as Record<string, unknown>;
  const blockId = parsed.data.id ?? (kind === 'tool_call' ? String(payloadValue.id) : '');
  return {
    id: blockId,
    kind,
    payload: payloadValue,
    metadata: loadBlockMetadata(parsed.data.metadata ?? {}),
    ...(role ? { role } : {}),
  } as Block;
}

function loadBlockMetadata(entries: Record<string, unknown>) {
  const metadata = createBlockMetadata();
  for (const [key, value] of Object.entries(entries)) metadata.setRaw(key, value);
  return metadata;
}

/** Serialises a Turn to YAML (with `version: 1`). Does not modify the turn. */
export function turnToYaml(turn: Turn, options: TurnYamlOptions = {}): string {
  return stringify(turnToPlain(turn, options), { lineWidth: 0 });
}

/** Parses YAML into a Turn. Throws `TurnError` (`yaml-malformed`, `turn-invalid`, `unknown-block-kind`). */
export function turnFromYaml(source: string): Turn {
  let value: unknown;
  try {
    value = parse(source);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    throw new TurnError('yaml-malformed', `malformed turn YAML${where}: ${(error as Error).message}`, { cause: error });
  }
  return turnFromPlain(value);
}

/** Writes a Turn as YAML to a file. */
export async function saveTurnYaml(path: string, turn: Turn, options?: TurnYamlOptions): Promise<void> {
  await writeFile(path, turnToYaml(turn, options), { mode: 0o644 });
}

/** Reads a Turn from a YAML file. */
export async function loadTurnYaml(path: string): Promise<Turn> {
  return turnFromYaml(await readFile(path, 'utf8'));
}
