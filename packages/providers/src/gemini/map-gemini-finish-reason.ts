import type { StopReason } from '../shared/stop-reason.js';

// Every value Google documents as "the content was withheld": safety and policy filters, recitation
// of copyrighted text, blocklists, personal data, Model Armor, and their image counterparts.
const filtered = [
  'SAFETY',
  'RECITATION',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'MODEL_ARMOR',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
];

const fixedReasons = new Map<string, StopReason>([
  ['MAX_TOKENS', 'max_tokens'],
  ...filtered.map((reason): [string, StopReason] => [reason, 'content_filter']),
]);

/**
 * Maps a Gemini `finishReason` onto Cricket's {@link StopReason}:
 * - `STOP` → `tool_calls` when the response contained function calls (Gemini reports `STOP` for
 *   them), else `stop`;
 * - `MAX_TOKENS` → `max_tokens`;
 * - `SAFETY`, `RECITATION`, `PROHIBITED_CONTENT`, `BLOCKLIST`, `SPII`, `MODEL_ARMOR` and the
 *   `IMAGE_*` filter reasons → `content_filter`;
 * - anything else (`MALFORMED_FUNCTION_CALL`, `UNEXPECTED_TOOL_CALL`, `LANGUAGE`, `OTHER`, ...) is
 *   passed through lower-cased; an absent reason stays absent.
 */
export function mapGeminiFinishReason(reason: string | null | undefined, hasToolCalls: boolean): string | undefined {
  if (!reason) return undefined;
  if (reason === 'STOP') return hasToolCalls ? 'tool_calls' : 'stop';
  return fixedReasons.get(reason) ?? reason.toLowerCase();
}
