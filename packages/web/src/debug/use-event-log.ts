import { useEffect, useRef, useState } from 'react';
import { type DebugApi, DebugApiError, type DebugEvent } from './debug-api.js';

/** Events fetched per request; a full page means there may be more. */
const pageLimit = 5000;

/** The event log of one conversation, fetched incrementally. */
export interface EventLogState {
  events: DebugEvent[];
  error: DebugApiError | undefined;
  isLoading: boolean;
}

/**
 * The ordered event log of `convId`. Each `refresh` asks only for events after the last seq it has
 * (the log is append-only), so polling a long conversation stays cheap. A new conversation starts over.
 */
export function useEventLog(api: DebugApi, convId: string, refresh: number): EventLogState {
  const [state, setState] = useState<EventLogState & { convId: string }>({
    convId,
    events: [],
    error: undefined,
    isLoading: true,
  });
  const eventsRef = useRef<{ convId: string; events: DebugEvent[] }>({ convId, events: [] });
  /** Bumped when the conversation changes or the page unmounts: answers of older loads are dropped. */
  const generation = useRef(0);
  const inFlight = useRef(false);
  const again = useRef(false);

  useEffect(() => {
    if (eventsRef.current.convId !== convId) {
      eventsRef.current = { convId, events: [] };
      setState({ convId, events: [], error: undefined, isLoading: true });
    }
    return () => {
      generation.current += 1;
      inFlight.current = false;
      again.current = false;
    };
  }, [convId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` is the reload trigger.
  useEffect(() => {
    // A refresh while a load runs is not lost: the running load goes round once more.
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    const mine = generation.current;
    const load = async () => {
      try {
        do {
          again.current = false;
          for (;;) {
            const known = eventsRef.current.events;
            const sinceSeq = known.at(-1)?.seq ?? 0;
            const page = await api.events(convId, sinceSeq, pageLimit);
            if (generation.current !== mine) return;
            const fresh = page.events.filter((event) => event.seq > sinceSeq);
            if (fresh.length > 0) eventsRef.current = { convId, events: [...known, ...fresh] };
            if (page.events.length < pageLimit) break;
          }
          setState({ convId, events: eventsRef.current.events, error: undefined, isLoading: false });
        } while (again.current);
      } catch (error) {
        if (generation.current !== mine) return;
        const failure = error instanceof DebugApiError ? error : new DebugApiError('invalid', String(error));
        setState((previous) => ({ ...previous, convId, error: failure, isLoading: false }));
      } finally {
        if (generation.current === mine) inFlight.current = false;
      }
    };
    void load();
  }, [api, convId, refresh]);

  if (state.convId !== convId) return { events: [], error: undefined, isLoading: true };
  return state;
}
