import type { Block } from '@cricket/core';
import { parse } from 'yaml';
import { z } from 'zod';

/** A `mode_switch` proposal found in model output. */
export interface ModeSwitchProposal {
  /** Trimmed; empty when the model gave none. */
  analysis: string;
  /** Trimmed; empty means "stay in the current mode". */
  newMode: string;
}

/** A fenced YAML block that did not parse or did not have the `mode_switch` shape. */
export interface SkippedModeSwitch {
  blockId: string;
  reason: string;
}

/** What {@link detectModeSwitch} found. */
export interface ModeSwitchDetection {
  proposal?: ModeSwitchProposal;
  /** Malformed candidates, in scan order (reported as debug logs). */
  skipped: SkippedModeSwitch[];
}

const optionalText = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .optional()
  .transform((value) => (value === undefined || value === null ? '' : String(value).trim()));

const documentSchema = z.object({
  mode_switch: z.object({ analysis: optionalText, new_mode: optionalText }),
});

const fencePattern = /```ya?ml[^\n]*\n([\s\S]*?)```/gi;

/** The bodies of the ```yaml (or ```yml) fences in `text`, in order. */
export function yamlFences(text: string): string[] {
  return [...text.matchAll(fencePattern)].map((match) => match[1] ?? '');
}

/**
 * Looks for a `mode_switch` proposal in NEW model output (reference §7.2 step 6): only `llm_text` blocks
 * of `blocks` with non-blank text, scanned from the last block and, within a block, from its last fence.
 * The first proposal with a non-blank `analysis` or `new_mode` wins. Fences that are not YAML, or YAML
 * without a `mode_switch` mapping, are skipped (malformed ones are reported in `skipped`).
 */
export function detectModeSwitch(blocks: readonly Block[]): ModeSwitchDetection {
  const skipped: SkippedModeSwitch[] = [];
  for (let index = blocks.length - 1; index >= 0; index--) {
    const block = blocks[index];
    if (block?.kind !== 'llm_text' || !block.payload.text.trim()) continue;
    const fences = yamlFences(block.payload.text);
    for (let fence = fences.length - 1; fence >= 0; fence--) {
      const outcome = parseFence(fences[fence] ?? '');
      if ('reason' in outcome) {
        skipped.push({ blockId: block.id, reason: outcome.reason });
        continue;
      }
      if (outcome.proposal && (outcome.proposal.analysis || outcome.proposal.newMode)) {
        return { proposal: outcome.proposal, skipped };
      }
    }
  }
  return { skipped };
}

function parseFence(body: string): { proposal?: ModeSwitchProposal } | { reason: string } {
  let value: unknown;
  try {
    value = parse(body);
  } catch (error) {
    return { reason: `malformed YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || !('mode_switch' in value)) return {};
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) {
    return {
      reason: `mode_switch has the wrong shape: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
    };
  }
  return { proposal: { analysis: parsed.data.mode_switch.analysis, newMode: parsed.data.mode_switch.new_mode } };
}
