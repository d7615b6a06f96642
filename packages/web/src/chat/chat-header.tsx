import type { ProfileSummary } from '@cricket/protocol';
import type { JSX } from 'react';
import { Icon } from '../shared/icon.js';
import { ThemeToggle } from '../theme/theme-toggle.js';
import type { ThemeState } from '../theme/use-theme.js';
import { ProfileSelect } from './profile-select.js';

/** The bar above the conversation: the drawer button (narrow screens), the title, profile and theme. */
export function ChatHeader({
  title,
  isDrawerOpen,
  onOpenDrawer,
  profiles,
  profile,
  onProfileChange,
  isProfileBusy,
  theme,
}: {
  title: string;
  isDrawerOpen: boolean;
  onOpenDrawer(): void;
  profiles: readonly ProfileSummary[] | undefined;
  profile: string | undefined;
  onProfileChange(slug: string): void;
  isProfileBusy: boolean;
  theme: Pick<ThemeState, 'theme' | 'setPreference'>;
}): JSX.Element {
  return (
    <header className="chat-header">
      <button
        type="button"
        className="icon-button drawer-button"
        onClick={onOpenDrawer}
        aria-label="Show conversations"
        aria-controls="sidebar"
        aria-expanded={isDrawerOpen}
      >
        <Icon name="menu" size={18} />
      </button>
      <h1 className="chat-title" title={title}>
        {title}
      </h1>
      <div className="header-actions">
        <ProfileSelect profiles={profiles} value={profile} onChange={onProfileChange} isBusy={isProfileBusy} />
        <ThemeToggle theme={theme.theme} setPreference={theme.setPreference} />
      </div>
    </header>
  );
}
