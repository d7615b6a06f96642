import { type Blame, CricketError, type CricketErrorOptions } from '@cricket/core';

/**
 * Codes of {@link EngineSettingsError}: `missing-api-key` (the provider needs a key and neither the
 * settings nor the environment hold one), `invalid-settings` (the settings do not validate),
 * `unsupported-provider` (an engine was asked for a provider it does not implement).
 */
export type EngineSettingsErrorCode = 'missing-api-key' | 'invalid-settings' | 'unsupported-provider';

/**
 * Engine configuration is unusable. Raised when an engine is created — never mid-inference — and
 * blamed on the user, whose settings or environment must change.
 */
export class EngineSettingsError extends CricketError<EngineSettingsErrorCode> {
  override readonly name = 'EngineSettingsError';
  readonly blame: Blame = 'user';
  constructor(
    readonly code: EngineSettingsErrorCode,
    message: string,
    options: CricketErrorOptions = {},
  ) {
    super(message, options);
  }
}
