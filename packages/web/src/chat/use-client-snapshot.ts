import { useCallback, useSyncExternalStore } from 'react';
import type { ChatClient, ChatClientSnapshot } from '../client/index.js';

/**
 * Schedules `callback` for the next frame: `requestAnimationFrame` while the page is visible, a short
 * timer otherwise (animation frames stop in hidden tabs, and a hidden tab should still catch up).
 */
function nextFrame(callback: () => void): () => void {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) {
    const handle = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(handle);
  }
  const handle = setTimeout(callback, 50);
  return () => clearTimeout(handle);
}

/**
 * The client's current snapshot for React. Notifications are coalesced to one per animation frame: a
 * fast stream delivers hundreds of deltas a second, and rendering more often than the screen refreshes
 * only burns the main thread. Reads stay consistent: a render always sees `getSnapshot()`'s latest value.
 */
export function useClientSnapshot(client: ChatClient): ChatClientSnapshot {
  const subscribe = useCallback(
    (onChange: () => void) => {
      let cancel: (() => void) | undefined;
      const unsubscribe = client.subscribe(() => {
        if (cancel) return;
        cancel = nextFrame(() => {
          cancel = undefined;
          onChange();
        });
      });
      return () => {
        unsubscribe();
        cancel?.();
      };
    },
    [client],
  );
  return useSyncExternalStore(subscribe, client.getSnapshot, client.getSnapshot);
}
