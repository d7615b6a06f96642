// Public surface of the structured filtering sink; the package root re-exports all of it.

export { type StrippedCodeFence, stripCodeFence } from './code-fence.js';
export type { Extractor, ExtractorSession, ExtractorSessionInit } from './extractor.js';
export {
  defaultMaxCaptureBytes,
  extractorFailedCode,
  FilteringSink,
  type FilteringSinkOptions,
  interruptedBlockError,
} from './filtering-sink.js';
export {
  createProgressiveYamlParser,
  emptyPayloadError,
  type ProgressiveYamlOptions,
  type ProgressiveYamlParser,
  type ProgressiveYamlResult,
  parseYamlPayload,
  payloadTooLargeError,
} from './progressive-yaml.js';
export { StructuredConfigError, type StructuredConfigErrorCode } from './structured-config-error.js';
export { type MalformedPolicy, malformedBlockError } from './structured-scanner.js';
export { formatCloseTag, formatOpenTag, type StructuredTag } from './structured-tag.js';
