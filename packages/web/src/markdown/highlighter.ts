import { createHighlighterCore, type HighlighterCore, type LanguageRegistration } from '@shikijs/core';
import { createJavaScriptRegexEngine } from '@shikijs/engine-javascript';
import { isSupportedLanguage, type SupportedLanguage } from './languages.js';

/**
 * Syntax highlighting with Shiki's core and its JavaScript regex engine (the Oniguruma WASM engine
 * would add ~620 KB), over a fixed set of languages. This module is imported lazily by code blocks,
 * and every grammar is its own lazy chunk, so a page without code never downloads any of it.
 */

type GrammarModule = { default: LanguageRegistration[] };

/** Grammar loaders, one lazy chunk each, for the ids of {@link supportedLanguages}. */
const grammars: Record<SupportedLanguage, () => Promise<GrammarModule>> = {
  typescript: () => import('@shikijs/langs/typescript'),
  tsx: () => import('@shikijs/langs/tsx'),
  javascript: () => import('@shikijs/langs/javascript'),
  jsx: () => import('@shikijs/langs/jsx'),
  json: () => import('@shikijs/langs/json'),
  shellscript: () => import('@shikijs/langs/shellscript'),
  python: () => import('@shikijs/langs/python'),
  go: () => import('@shikijs/langs/go'),
  rust: () => import('@shikijs/langs/rust'),
  java: () => import('@shikijs/langs/java'),
  css: () => import('@shikijs/langs/css'),
  html: () => import('@shikijs/langs/html'),
  yaml: () => import('@shikijs/langs/yaml'),
  sql: () => import('@shikijs/langs/sql'),
  diff: () => import('@shikijs/langs/diff'),
  toml: () => import('@shikijs/langs/toml'),
};

/** One highlighted token: its text and the CSS custom properties carrying its light and dark colours. */
export interface HighlightedToken {
  content: string;
  style: Record<string, string>;
}

let highlighter: Promise<HighlighterCore> | undefined;
const loadedLanguages = new Map<string, Promise<void>>();

function getHighlighter(): Promise<HighlighterCore> {
  highlighter ??= createHighlighterCore({
    themes: [import('@shikijs/themes/github-light'), import('@shikijs/themes/github-dark')],
    langs: [],
    // Forgiving: a grammar pattern the JS engine cannot express is skipped instead of failing the block.
    engine: createJavaScriptRegexEngine({ forgiving: true }),
  });
  return highlighter;
}

async function ensureLanguage(core: HighlighterCore, language: string): Promise<void> {
  let loading = loadedLanguages.get(language);
  if (!loading) {
    if (!isSupportedLanguage(language)) return;
    loading = grammars[language]().then((module) => core.loadLanguage(module.default));
    loadedLanguages.set(language, loading);
  }
  await loading;
}

/**
 * Highlights `code` as `language` (an id from `resolveLanguage`) into lines of tokens whose
 * `style` holds `--shiki-light` and `--shiki-dark`; the stylesheet picks one per theme, so switching
 * themes needs no re-highlighting.
 */
export async function highlightCode(code: string, language: string): Promise<HighlightedToken[][]> {
  const core = await getHighlighter();
  await ensureLanguage(core, language);
  const result = core.codeToTokens(code, {
    lang: language,
    themes: { light: 'github-light', dark: 'github-dark' },
    defaultColor: false,
  });
  return result.tokens.map((line) =>
    line.map((token) => ({ content: token.content, style: { ...(token.htmlStyle ?? {}) } })),
  );
}
