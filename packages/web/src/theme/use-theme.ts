import { useCallback, useEffect, useState } from 'react';

/** A theme the page renders in. */
export type Theme = 'light' | 'dark';
/** What the user chose: a theme, or following the system (`prefers-color-scheme`). */
export type ThemePreference = Theme | 'system';

const storageKey = 'cricket.theme';
const darkQuery = '(prefers-color-scheme: dark)';

function readPreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(storageKey);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia(darkQuery).matches ? 'dark' : 'light';
}

/** The page's theme and the user's preference. */
export interface ThemeState {
  theme: Theme;
  preference: ThemePreference;
  setPreference(preference: ThemePreference): void;
}

/**
 * The page's theme: the saved choice, else the system's, following system changes live. The theme is
 * applied as `data-theme` on `<html>` (index.html sets it before the first paint to avoid a flash).
 */
export function useTheme(): ThemeState {
  const [preference, setPreferenceState] = useState<ThemePreference>(readPreference);
  const [system, setSystem] = useState<Theme>(systemTheme);

  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const query = matchMedia(darkQuery);
    const onChange = () => setSystem(query.matches ? 'dark' : 'light');
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  const theme = preference === 'system' ? system : preference;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const setPreference = useCallback((next: ThemePreference) => {
    setPreferenceState(next);
    try {
      if (next === 'system') localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, next);
    } catch {
      // Storage disabled (private mode): the choice lasts for this page only.
    }
  }, []);

  return { theme, preference, setPreference };
}
