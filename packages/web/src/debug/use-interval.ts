import { useEffect, useRef } from 'react';

/** Calls `callback` every `intervalMs` while `active` (the latest callback, without restarting the timer). */
export function useInterval(callback: () => void, intervalMs: number, active: boolean): void {
  const callbackRef = useRef(callback);
  callbackRef.current = callback;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => callbackRef.current(), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
}
