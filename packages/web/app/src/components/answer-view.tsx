// Loading, error and content of one API answer, the same way on every page.
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client.js';
import type { AnswerState } from '../api/use-answer.js';

export function AnswerView<T>({ state, children }: { state: AnswerState<T>; children: (data: T) => ComponentChildren }) {
  if (state.status === 'error') return <ErrorNotice error={state.error} />;
  if (state.data === undefined) return <p class="loading" aria-busy="true">Loading…</p>;
  return <div class={state.status === 'loading' ? 'refreshing' : undefined}>{children(state.data)}</div>;
}

export function ErrorNotice({ error }: { error: Error }) {
  const code = error instanceof ApiError ? ` (${error.code}, HTTP ${error.status})` : '';
  return (
    <div class="notice error" role="alert">
      <strong>The API could not answer{code}.</strong> {error.message}
    </div>
  );
}
