import { type Blame, CricketError, type CricketErrorOptions } from './cricket-error.js';

/** Invalid configuration: a profile file, an engine script, settings. Names the source and the field. */
export class ConfigurationError extends CricketError<'configuration-invalid'> {
  override readonly name = 'ConfigurationError';
  readonly code = 'configuration-invalid' as const;
  readonly blame: Blame = 'user';
  constructor(message: string, options?: CricketErrorOptions) {
    super(message, options);
  }
}
