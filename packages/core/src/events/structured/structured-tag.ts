/**
 * The identity of a structured block: `<package:type:version>` opens it and `</package:type:version>`
 * closes it. Each part is non-empty and made of `[A-Za-z0-9_.-]`; matching is case-sensitive.
 */
export interface StructuredTag {
  readonly package: string;
  readonly type: string;
  readonly version: string;
}

// One character class shared by every pattern so the prefix and complete checks can never disagree.
const part = '[A-Za-z0-9_.-]';
const partPattern = new RegExp(`^${part}+$`);
const completeOpenPattern = new RegExp(`^<(${part}+):(${part}+):(${part}+)>$`);
// Every string that some longer input could still turn into a complete open tag.
const openPrefixPattern = new RegExp(`^<(?:${part}+(?::(?:${part}+(?::${part}*)?)?)?)?$`);

/** True when `value` is a legal tag part (non-empty, `[A-Za-z0-9_.-]` only). */
export function isValidTagPart(value: string): boolean {
  return partPattern.test(value);
}

/** `package:type:version`, the lookup key for extractors. */
export function tagKey(tag: StructuredTag): string {
  return `${tag.package}:${tag.type}:${tag.version}`;
}

/** The open tag text, e.g. `<acme:citations:v1>`. */
export function formatOpenTag(tag: StructuredTag): string {
  return `<${tagKey(tag)}>`;
}

/** The close tag text, e.g. `</acme:citations:v1>`. */
export function formatCloseTag(tag: StructuredTag): string {
  return `</${tagKey(tag)}>`;
}

/**
 * How far a buffered candidate (which must start with `<`) is from an open tag:
 * `complete` (a whole valid open tag), `prefix` (more input could still complete it) or `invalid`.
 */
export type OpenTagState = 'complete' | 'prefix' | 'invalid';

/** Classifies a buffered candidate; see {@link OpenTagState}. */
export function classifyOpenTag(candidate: string): OpenTagState {
  if (completeOpenPattern.test(candidate)) return 'complete';
  if (openPrefixPattern.test(candidate)) return 'prefix';
  return 'invalid';
}

/** Parses a complete open tag such as `<a:b:c>`; undefined for anything else. */
export function parseOpenTag(text: string): StructuredTag | undefined {
  const match = completeOpenPattern.exec(text);
  if (!match) return undefined;
  const [, pkg, type, version] = match;
  if (pkg === undefined || type === undefined || version === undefined) return undefined;
  return { package: pkg, type, version };
}
