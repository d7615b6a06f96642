import { useCallback, useEffect, useState } from 'react';
import { type DebugApi, DebugApiError } from './debug-api.js';
import type { StepPause } from './debug-api-schemas.js';
import { useInterval } from './use-interval.js';

/** Poll interval of pending pauses while step mode is on (and while any pause of this conversation waits). */
export const stepPollMs = 1000;
/** Poll interval otherwise: pauses can also come from `overrides.step_mode` on a chat request. */
const idlePollMs = 5000;

/** Step mode of one conversation as the debug page sees it. */
export interface StepModeState {
  /** Step mode is on for the conversation's current session (as far as this page knows). */
  isEnabled: boolean;
  /** Pauses of this conversation, oldest first. */
  pauses: StepPause[];
  /** Pauses of other conversations. */
  otherPauses: number;
  /** The last failure, in words. */
  error: string | undefined;
  /** An enable/disable/continue request is in flight. */
  isBusy: boolean;
  setEnabled(enabled: boolean): Promise<void>;
  continuePause(pauseId: string): Promise<boolean>;
}

function storageKey(convId: string): string {
  return `cricket.debug.step:${convId}`;
}

function readStored(convId: string): boolean {
  try {
    return sessionStorage.getItem(storageKey(convId)) === 'on';
  } catch {
    return false;
  }
}

function writeStored(convId: string, enabled: boolean): void {
  try {
    if (enabled) sessionStorage.setItem(storageKey(convId), 'on');
    else sessionStorage.removeItem(storageKey(convId));
  } catch {
    // Storage disabled: the switch still works for this page.
  }
}

/** Whether a pause belongs to the conversation (its scope names it, or it is on its current session). */
export function isPauseOf(pause: StepPause, convId: string, sessionId: string | undefined): boolean {
  const scoped = pause.extra.conversation_id;
  if (typeof scoped === 'string') return scoped === convId;
  return sessionId !== undefined && pause.session_id === sessionId;
}

function message(error: unknown): string {
  if (error instanceof DebugApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Step mode for a conversation. The server has no "is step mode on" query, so the switch position is
 * remembered per browser tab (sessionStorage) and also reads as on whenever a pause of this
 * conversation is pending. Pending pauses are polled every second while on.
 */
export function useStepMode(api: DebugApi, convId: string, sessionId: string | undefined): StepModeState {
  const [isSwitchOn, setSwitchOn] = useState(() => readStored(convId));
  const [allPauses, setAllPauses] = useState<StepPause[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const [isBusy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setAllPauses(await api.pendingPauses());
    } catch (cause) {
      setError(message(cause));
    }
  }, [api]);

  useEffect(() => {
    setSwitchOn(readStored(convId));
    setError(undefined);
    void refresh();
  }, [convId, refresh]);

  const pauses = allPauses.filter((pause) => isPauseOf(pause, convId, sessionId));
  const isEnabled = isSwitchOn || pauses.length > 0;
  useInterval(() => void refresh(), isEnabled ? stepPollMs : idlePollMs, true);

  const setEnabled = useCallback(
    async (enabled: boolean) => {
      setBusy(true);
      setError(undefined);
      try {
        if (enabled) await api.enableStepMode(convId);
        else await api.disableStepMode(convId);
        setSwitchOn(enabled);
        writeStored(convId, enabled);
        await refresh();
      } catch (cause) {
        const text = message(cause);
        setError(
          /unknown conv_id|missing session_id/.test(text)
            ? 'The server does not know a session for this conversation yet; send it a message first, then enable step mode.'
            : text,
        );
      } finally {
        setBusy(false);
      }
    },
    [api, convId, refresh],
  );

  const continuePause = useCallback(
    async (pauseId: string) => {
      setBusy(true);
      setError(undefined);
      try {
        await api.continuePause(pauseId, convId);
        setAllPauses((current) => current.filter((pause) => pause.pause_id !== pauseId));
        await refresh();
        return true;
      } catch (cause) {
        setError(message(cause));
        await refresh();
        return false;
      } finally {
        setBusy(false);
      }
    },
    [api, convId, refresh],
  );

  return {
    isEnabled,
    pauses,
    otherPauses: allPauses.length - pauses.length,
    error,
    isBusy,
    setEnabled,
    continuePause,
  };
}
