// Cricket's error classes and helpers, also importable alone as `@cricket/core/errors` (no other
// module of the package is loaded: the CLI reads them without paying for the whole framework).
export { ConfigurationError } from './configuration-error.js';
export type { Blame, CricketErrorOptions } from './cricket-error.js';
export { CricketError, errorMessage, isCricketError } from './cricket-error.js';
export { EventDecodeError } from './event-decode-error.js';
export { InferenceError, type InferenceErrorCode, isCancellation } from './inference-error.js';
export { SessionError, type SessionErrorCode } from './session-error.js';
export { ToolError, type ToolErrorCode } from './tool-error.js';
export { TurnError, type TurnErrorCode } from './turn-error.js';
