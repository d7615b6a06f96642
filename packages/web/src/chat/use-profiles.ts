import type { ProfileSummary } from '@cricket/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { ChatApi } from '../client/index.js';

/** The server's profiles and the one its cookie selects for new conversations. */
export interface ProfilesState {
  /** Undefined until loaded (or when loading failed). */
  profiles: readonly ProfileSummary[] | undefined;
  /** The `chat_profile` cookie's profile (the server's default without a cookie). */
  selectedSlug: string | undefined;
  /** Why loading or selecting failed, for the UI to show. */
  error: string | undefined;
  /** Loads again (after a failure, e.g. the server was down). */
  reload(): void;
  /** Selects a profile for new conversations (`POST /api/chat/profile`); resolves to whether it worked. */
  select(slug: string): Promise<boolean>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Loads `/api/chat/profiles` and `/api/chat/profile`, and selects profiles. */
export function useProfiles(api: ChatApi): ProfilesState {
  const [profiles, setProfiles] = useState<readonly ProfileSummary[] | undefined>(undefined);
  const [selectedSlug, setSelectedSlug] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the trigger of a reload.
  useEffect(() => {
    let isCurrent = true;
    Promise.all([api.profiles(), api.currentProfile()]).then(
      ([list, current]) => {
        if (!isCurrent) return;
        setProfiles(list);
        setSelectedSlug(current.slug);
        setError(undefined);
      },
      (failure: unknown) => {
        if (isCurrent) setError(`Could not load profiles: ${messageOf(failure)}`);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [api, attempt]);

  const reload = useCallback(() => setAttempt((value) => value + 1), []);
  const select = useCallback(
    async (slug: string) => {
      try {
        const current = await api.selectProfile(slug);
        setSelectedSlug(current.slug);
        setError(undefined);
        return true;
      } catch (failure) {
        setError(`Could not switch to "${slug}": ${messageOf(failure)}`);
        return false;
      }
    },
    [api],
  );
  return { profiles, selectedSlug, error, reload, select };
}
