/**
 * The languages code blocks highlight, and how a fence's info string maps to them. Kept apart from the
 * highlighter so that deciding whether to highlight costs nothing: Shiki loads only when a supported
 * block appears.
 */

/** Shiki ids of the highlighted languages. Others render as plain text. */
export const supportedLanguages = [
  'typescript',
  'tsx',
  'javascript',
  'jsx',
  'json',
  'shellscript',
  'python',
  'go',
  'rust',
  'java',
  'css',
  'html',
  'yaml',
  'sql',
  'diff',
  'toml',
] as const;

/** A highlighted language's Shiki id. */
export type SupportedLanguage = (typeof supportedLanguages)[number];

const aliases: Record<string, string> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  console: 'shellscript',
  py: 'python',
  golang: 'go',
  rs: 'rust',
  yml: 'yaml',
  jsonc: 'json',
  json5: 'json',
  patch: 'diff',
  htm: 'html',
};

/** Whether `id` is one of {@link supportedLanguages}. */
export function isSupportedLanguage(id: string): id is SupportedLanguage {
  return (supportedLanguages as readonly string[]).includes(id);
}

/** The Shiki id for a fence's info string (`ts`, `TypeScript`, `bash` …), or undefined when unsupported. */
export function resolveLanguage(info: string | undefined): SupportedLanguage | undefined {
  const name = (info ?? '').trim().toLowerCase();
  if (!name) return undefined;
  const id = aliases[name] ?? name;
  return isSupportedLanguage(id) ? id : undefined;
}
