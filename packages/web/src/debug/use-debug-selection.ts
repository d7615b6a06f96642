import { useCallback, useState } from 'react';

/** Which tab of a conversation the debug page shows. */
export type ConversationTab = 'turns' | 'events';

/** What the debug page shows, mirrored in its URL (`/debug?conv=…&session=…&inference=…&tab=events`). */
export interface DebugSelection {
  convId: string | undefined;
  sessionId: string | undefined;
  /** Key of the selected inference group; undefined follows the latest one. */
  inferenceKey: string | undefined;
  tab: ConversationTab;
}

/** Reads a selection from a query string. */
export function readSelection(search: string): DebugSelection {
  const params = new URLSearchParams(search);
  const value = (name: string) => params.get(name)?.trim() || undefined;
  return {
    convId: value('conv') ?? value('conv_id'),
    sessionId: value('session'),
    inferenceKey: value('inference'),
    tab: params.get('tab') === 'events' ? 'events' : 'turns',
  };
}

/** Writes a selection into a query string (empty values left out). */
export function writeSelection(selection: DebugSelection): string {
  const params = new URLSearchParams();
  if (selection.convId) params.set('conv', selection.convId);
  if (selection.sessionId) params.set('session', selection.sessionId);
  if (selection.inferenceKey) params.set('inference', selection.inferenceKey);
  if (selection.tab !== 'turns') params.set('tab', selection.tab);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The page's selection, initialised from the URL and written back with `replaceState` (so reloading
 * or sharing the URL shows the same thing, without filling the history with every click).
 */
export function useDebugSelection(): [DebugSelection, (change: Partial<DebugSelection>) => void] {
  const [selection, setSelection] = useState(() => readSelection(window.location.search));
  const update = useCallback((change: Partial<DebugSelection>) => {
    setSelection((current) => {
      const next = { ...current, ...change };
      // A different conversation resets what was selected inside the previous one.
      if (change.convId !== undefined && change.convId !== current.convId) {
        next.sessionId = change.sessionId;
        next.inferenceKey = change.inferenceKey;
      }
      const url = `${window.location.pathname}${writeSelection(next)}${window.location.hash}`;
      window.history.replaceState(window.history.state, '', url);
      return next;
    });
  }, []);
  return [selection, update];
}
