import { useEffect, useRef, useState } from 'react';
import { DebugApiError } from './debug-api.js';

/** A value loaded from the debug API: the latest data (kept while reloading) and the latest failure. */
export interface DebugResource<T> {
  data: T | undefined;
  error: DebugApiError | undefined;
  /** A load is in flight. */
  isLoading: boolean;
}

/**
 * Loads `load()` whenever `key` or `refresh` changes. A new `key` starts over (its data belongs to
 * something else); a new `refresh` reloads in place, keeping the previous data on screen so polling
 * never flickers. Answers that arrive after a newer request started are dropped. `load` undefined
 * means "nothing to load" and clears the resource.
 */
export function useDebugResource<T>(
  load: (() => Promise<T>) | undefined,
  key: string,
  refresh: number,
): DebugResource<T> {
  const [state, setState] = useState<DebugResource<T> & { key: string }>({
    key,
    data: undefined,
    error: undefined,
    isLoading: load !== undefined,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const hasLoader = load !== undefined;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` is the reload trigger; `load` is read through a ref.
  useEffect(() => {
    const current = loadRef.current;
    if (!current) {
      setState({ key, data: undefined, error: undefined, isLoading: false });
      return;
    }
    let isStale = false;
    setState((previous) =>
      previous.key === key
        ? { ...previous, isLoading: true }
        : { key, data: undefined, error: undefined, isLoading: true },
    );
    current().then(
      (data) => {
        if (!isStale) setState({ key, data, error: undefined, isLoading: false });
      },
      (error: unknown) => {
        if (isStale) return;
        const failure =
          error instanceof DebugApiError
            ? error
            : new DebugApiError('invalid', error instanceof Error ? error.message : String(error));
        setState((previous) => ({
          key,
          data: previous.key === key ? previous.data : undefined,
          error: failure,
          isLoading: false,
        }));
      },
    );
    return () => {
      isStale = true;
    };
  }, [key, refresh, hasLoader]);

  // Until the effect for a new key has run, report the new key as loading rather than old data.
  if (state.key !== key) return { data: undefined, error: undefined, isLoading: hasLoader };
  return { data: state.data, error: state.error, isLoading: state.isLoading };
}
