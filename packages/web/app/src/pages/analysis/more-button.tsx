// "Show more" under a grouped table whose answer has further pages.
import { ErrorNotice } from '../../components/answer-view.js';
import type { MorePages } from './use-more-pages.js';

export function MoreButton<Item>({ more, what }: { more: MorePages<Item>; what: string }) {
  return (
    <>
      {more.error !== undefined && <ErrorNotice error={more.error} />}
      {more.nextCursor !== null && (
        <div class="pager">
          <span class="muted">
            {more.items.length} {what} shown; more follow.
          </span>
          <button type="button" class="chip" disabled={more.isLoading} onClick={more.loadMore}>
            {more.isLoading ? 'Loading…' : `Show more ${what}`}
          </button>
        </div>
      )}
    </>
  );
}
