import { type Blame, CricketError, type CricketErrorOptions } from './cricket-error.js';

/** Codes of {@link ToolError}. */
export type ToolErrorCode =
  | 'tool-not-found'
  | 'tool-not-allowed'
  | 'tool-invalid-arguments'
  | 'tool-failed'
  | 'tool-timeout'
  | 'tool-cancelled'
  | 'tool-aborted'
  | 'tool-registration-invalid';

/**
 * A tool problem. Inside the tool loop these become `tool_use` error results rather than thrown
 * errors, so the model can react; the class exists so code and tests can tell the cases apart.
 */
export class ToolError extends CricketError<ToolErrorCode> {
  override readonly name = 'ToolError';
  readonly blame: Blame;
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    options: CricketErrorOptions & { blame?: Blame } = {},
  ) {
    super(message, options);
    this.blame = options.blame ?? 'system';
  }
}
