import { type Blame, CricketError, type CricketErrorOptions } from '@cricket/core';

/**
 * Codes of {@link ProfileError} and the HTTP status each is meant to map to:
 * - `profile-not-found` (404): no profile has the requested slug;
 * - `overrides-not-allowed` (403): the request overrides `system_prompt`, `middlewares` or `tools`
 *   on a profile whose `allowOverrides` is false;
 * - `overrides-invalid` (400): an override has the wrong type or shape;
 * - `profile-unavailable` (503): the profile exists but its engine cannot be created (no API key,
 *   unusable base URL, provider not implemented).
 */
export type ProfileErrorCode =
  | 'profile-not-found'
  | 'overrides-not-allowed'
  | 'overrides-invalid'
  | 'profile-unavailable';

const blames: Record<ProfileErrorCode, Blame> = {
  'profile-not-found': 'user',
  'overrides-not-allowed': 'user',
  'overrides-invalid': 'user',
  'profile-unavailable': 'system',
};

/**
 * A request named a profile that does not exist, overrode it when it may not, overrode it with bad
 * values, or chose a profile whose engine cannot be created. Branch on `code`, never on the message.
 */
export class ProfileError extends CricketError<ProfileErrorCode> {
  override readonly name = 'ProfileError';
  readonly blame: Blame;
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
    options: CricketErrorOptions = {},
  ) {
    super(message, options);
    this.blame = blames[code];
  }
}
