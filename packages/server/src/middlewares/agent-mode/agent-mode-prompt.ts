import { agentModeBlockKey, agentModeTagKey, type Block, type Turn, userBlock } from '@cricket/core';
import type { AgentMode } from './agent-mode-config.js';

/** Tag (`geppetto.agentmode_tag@v1`) of the block the middleware injects. */
export const agentModeUserPromptTag = 'agentmode_user_prompt';

/**
 * Every tag an agent-mode injection has carried (the reference also used the first two); blocks with one
 * of them are removed before a new injection, so injections never pile up across engine calls.
 */
export const agentModeInjectionTags: ReadonlySet<string> = new Set([
  'agentmode_system_prompt',
  'agentmode_switch_instructions',
  agentModeUserPromptTag,
]);

/**
 * The text of the injected block: the mode prompt in `<currentMode>` tags (when not blank), then how to
 * propose a switch with a fenced YAML `mode_switch` document, the current mode and the available ones.
 */
export function agentModePromptText(mode: AgentMode, availableModes: readonly string[]): string {
  const parts: string[] = [];
  if (mode.prompt.trim()) parts.push(`<currentMode>${mode.prompt.trim()}</currentMode>`);
  parts.push(
    [
      '<modeSwitchGuidelines>',
      'You work in one mode at a time. Only propose a different mode when it clearly serves the user better',
      'than the current one; staying in the current mode is usually the right call.',
      '</modeSwitchGuidelines>',
      '',
      'To propose a switch, add this YAML block to your answer:',
      '```yaml',
      'mode_switch:',
      '  analysis: |',
      '    - What is the user trying to achieve right now?',
      '    - What can the current mode not do for that?',
      '    - Which mode fits better, and why?',
      '    - What would be lost by switching?',
      '  new_mode: MODE_NAME # optional: leave it out to stay in the current mode',
      '```',
      '',
      `Current mode: ${mode.name}`,
      `Available modes: ${availableModes.join(', ')}`,
      '',
      'Remember: most answers need no switch at all.',
    ].join('\n'),
  );
  return parts.join('\n\n');
}

/** A user block carrying the mode prompt, tagged as an agent-mode injection for `mode`. */
export function agentModePromptBlock(mode: AgentMode, availableModes: readonly string[]): Block {
  const block = userBlock(agentModePromptText(mode, availableModes));
  block.metadata.set(agentModeTagKey, agentModeUserPromptTag);
  block.metadata.set(agentModeBlockKey, mode.name);
  return block;
}

/** True when `block` was injected by the agent-mode middleware (any of {@link agentModeInjectionTags}). */
export function isAgentModeInjection(block: Block): boolean {
  try {
    const tag = block.metadata.get(agentModeTagKey);
    return tag !== undefined && agentModeInjectionTags.has(tag);
  } catch {
    return false;
  }
}

/** Removes every earlier injection from the turn; returns how many were removed. */
export function removeAgentModeInjections(turn: Turn): number {
  const before = turn.blocks.length;
  turn.blocks = turn.blocks.filter((block) => !isAgentModeInjection(block));
  return before - turn.blocks.length;
}

/**
 * Inserts the injection just before the turn's last user block: on the first engine call of an inference
 * that is the block before the last one (the user's prompt), as in the reference. On later calls of the
 * tool loop the turn ends with tool results, and inserting before the last block would separate a tool
 * result from its call (providers reject that), so the block stays in front of the prompt. A turn without
 * a user block gets it before its last block (or as its only block).
 */
export function insertAgentModePrompt(turn: Turn, block: Block): void {
  const lastUser = turn.blocks.findLastIndex((candidate) => candidate.kind === 'user');
  if (lastUser >= 0) turn.blocks.splice(lastUser, 0, block);
  else if (turn.blocks.length === 0) turn.blocks.push(block);
  else turn.blocks.splice(turn.blocks.length - 1, 0, block);
}
