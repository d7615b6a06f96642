import type { ProfileSummary } from '@cricket/protocol';
import type { JSX } from 'react';

/** The option text of a profile: its slug and engine, and why it cannot be used when it cannot. */
export function profileOptionLabel(profile: ProfileSummary): string {
  // Short: the status bar spells out the engine; the selected option must fit a phone's header.
  const engine = profile.offline ? 'demo' : profile.model || profile.provider;
  const base = engine ? `${profile.slug} · ${engine}` : profile.slug;
  return profile.available === false ? `${base} (unavailable: ${profile.reason ?? 'not configured'})` : base;
}

/**
 * Chooses the profile (engine, system prompt, tools) for the next prompts. Unavailable profiles are
 * listed but disabled, with the reason in their label.
 */
export function ProfileSelect({
  profiles,
  value,
  onChange,
  isBusy,
}: {
  profiles: readonly ProfileSummary[] | undefined;
  value: string | undefined;
  onChange(slug: string): void;
  isBusy: boolean;
}): JSX.Element {
  const list = profiles ?? [];
  return (
    <label className="profile-select">
      <span className="visually-hidden">Profile</span>
      <select
        value={value ?? ''}
        disabled={list.length === 0 || isBusy}
        aria-label="Profile"
        onChange={(event) => onChange(event.target.value)}
      >
        {list.length === 0 ? <option value="">{profiles ? 'No profiles' : 'Loading…'}</option> : null}
        {value && list.length > 0 && !list.some((profile) => profile.slug === value) ? (
          <option value={value}>{value}</option>
        ) : null}
        {list.map((profile) => (
          <option key={profile.slug} value={profile.slug} disabled={profile.available === false}>
            {profileOptionLabel(profile)}
          </option>
        ))}
      </select>
    </label>
  );
}
