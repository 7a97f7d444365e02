// A page's data: one API answer, fetched again whenever its path or query changes, the earlier
// request aborted so a slow answer never replaces a newer one.
import { useEffect, useState } from 'preact/hooks';
import { getAnswer, type Query } from './client.js';

export type AnswerState<T> =
  | { readonly status: 'loading'; readonly data?: T }
  | { readonly status: 'ok'; readonly data: T }
  | { readonly status: 'error'; readonly error: Error; readonly data?: T };

/** `path` null: nothing to fetch yet (state stays loading). `refresh` changes force a new fetch. */
export function useAnswer<T>(path: string | null, query: Query = {}, refresh = 0): AnswerState<T> {
  const [state, setState] = useState<AnswerState<T>>({ status: 'loading' });
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    if (path === null) return undefined;
    const controller = new AbortController();
    setState((previous) => (previous.data === undefined ? { status: 'loading' } : { status: 'loading', data: previous.data }));
    getAnswer<T>(path, JSON.parse(queryKey) as Query, controller.signal).then(
      (data) => setState({ status: 'ok', data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => controller.abort();
  }, [path, queryKey, refresh]);
  return state;
}
