import type { JSX } from 'react';
import { Icon } from '../shared/icon.js';
import type { ThemeState } from './use-theme.js';

/**
 * Switches between the light and dark themes. The choice is remembered; until the user makes one,
 * the page follows the system setting.
 */
export function ThemeToggle({ theme, setPreference }: Pick<ThemeState, 'theme' | 'setPreference'>): JSX.Element {
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="icon-button"
      onClick={() => setPreference(next)}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
    >
      <Icon name={theme === 'dark' ? 'sun' : 'moon'} size={18} />
    </button>
  );
}
