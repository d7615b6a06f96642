import type { EngineSettings } from '../engine-settings.js';
import type { AnthropicThinkingConfig } from './anthropic-request-types.js';

/** `max_tokens` when the settings set none (the API requires the field). */
export const defaultAnthropicMaxTokens = 4096;

/**
 * Thinking budgets per `reasoningEffort`. `low` is the API's minimum budget (1024); each step
 * quadruples it.
 */
export const anthropicThinkingBudgets: Readonly<Record<'low' | 'medium' | 'high', number>> = Object.freeze({
  low: 1024,
  medium: 4096,
  high: 16384,
});

/** Lowest `top_p` the API accepts while thinking is enabled. */
const minTopPWithThinking = 0.95;

/** The sampling part of a Messages request, plus what was changed on the way. */
export interface AnthropicSampling {
  max_tokens: number;
  temperature?: number;
  top_p?: number;
  thinking?: AnthropicThinkingConfig;
  /** Settings that were adjusted or dropped, with the reason (published as `warn` logs). */
  warnings: string[];
}

/** The settings sampling depends on. */
export type AnthropicSamplingSettings = Pick<
  EngineSettings,
  'model' | 'temperature' | 'topP' | 'maxTokens' | 'reasoningEffort'
>;

/**
 * True for models that refuse `temperature` and `top_p` together ("cannot both be specified for
 * this model"): Claude 4.1 and later (`claude-opus-4-1`, `claude-sonnet-4-5`, `claude-haiku-4-5`,
 * ...), also behind a platform prefix or suffix (`anthropic.claude-opus-4-1-20250805-v1:0`,
 * `claude-sonnet-4-5@20250929`). Earlier models take both.
 */
export function anthropicRejectsTemperatureWithTopP(model: string): boolean {
  const match = /claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d{1,2})(?=$|[-@:]))?/.exec(model.toLowerCase());
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  return major > 4 || (major === 4 && minor >= 1);
}

/**
 * Resolves `max_tokens`, `temperature`, `top_p` and `thinking` from the settings, sending only what
 * is set and what the model accepts:
 * - `max_tokens`: the setting, else {@link defaultAnthropicMaxTokens}.
 * - `reasoningEffort` enables extended thinking with the budget of {@link anthropicThinkingBudgets},
 *   unless `thinkingBlocker` says why it cannot be used for this request (then a warning).
 *   `max_tokens` must exceed the budget: when it does not (or is unset), the budget is added on
 *   top, so the answer keeps the tokens the settings asked for.
 * - With thinking, the API accepts `temperature` only at 1 and `top_p` only from 0.95: other values
 *   are dropped with a warning.
 * - Both `temperature` and `top_p` are sent when set, except to models that refuse the pair
 *   ({@link anthropicRejectsTemperatureWithTopP}), which get `temperature` only and a warning. The
 *   reference failed the request whenever both differed from 1.0.
 */
export function resolveAnthropicSampling(
  settings: AnthropicSamplingSettings,
  thinkingBlocker?: string,
): AnthropicSampling {
  const warnings: string[] = [];
  let thinking: AnthropicThinkingConfig | undefined;
  if (settings.reasoningEffort) {
    if (thinkingBlocker) warnings.push(`reasoningEffort ${settings.reasoningEffort} ignored: ${thinkingBlocker}`);
    else thinking = { type: 'enabled', budget_tokens: anthropicThinkingBudgets[settings.reasoningEffort] };
  }

  const answerTokens = settings.maxTokens ?? defaultAnthropicMaxTokens;
  let maxTokens = answerTokens;
  if (thinking && (settings.maxTokens === undefined || settings.maxTokens <= thinking.budget_tokens)) {
    maxTokens = thinking.budget_tokens + answerTokens;
    if (settings.maxTokens !== undefined) {
      warnings.push(
        `maxTokens ${settings.maxTokens} does not exceed the thinking budget ${thinking.budget_tokens}; sending max_tokens ${maxTokens}`,
      );
    }
  }
  const sampling: AnthropicSampling = { max_tokens: maxTokens, warnings };
  if (thinking) sampling.thinking = thinking;

  const { temperature, topP } = settings;
  if (temperature !== undefined) {
    if (thinking && temperature !== 1) {
      warnings.push(`temperature ${temperature} not sent: extended thinking only allows temperature 1`);
    } else {
      sampling.temperature = temperature;
    }
  }
  if (topP !== undefined) {
    if (thinking && topP < minTopPWithThinking) {
      warnings.push(`topP ${topP} not sent: extended thinking only allows top_p from ${minTopPWithThinking} to 1`);
    } else if (sampling.temperature !== undefined && anthropicRejectsTemperatureWithTopP(settings.model)) {
      warnings.push(`topP ${topP} not sent: ${settings.model} does not accept temperature and top_p together`);
    } else {
      sampling.top_p = topP;
    }
  }
  return sampling;
}
