// The pages after an answer's first, fetched on demand ("show more") and appended: for grouped
// answers whose groups rarely fill one page. Forgotten whenever the question changes.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getAnswer, type Query } from '../../api/client.js';

interface Paged<Item> {
  readonly items: readonly Item[];
  readonly next_cursor: string | null;
}

export interface MorePages<Item> {
  /** The first page's items and every page fetched after it. */
  readonly items: readonly Item[];
  readonly nextCursor: string | null;
  readonly isLoading: boolean;
  readonly error: Error | undefined;
  readonly loadMore: () => void;
}

export function useMorePages<Item>(path: string, query: Query, first: Paged<Item>): MorePages<Item> {
  const [extra, setExtra] = useState<{ items: Item[]; nextCursor: string | null }>({ items: [], nextCursor: first.next_cursor });
  const [isLoading, setLoading] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    setExtra({ items: [], nextCursor: first.next_cursor });
    setError(undefined);
  }, [first, queryKey]);
  const loadMore = (): void => {
    if (extra.nextCursor === null || isLoading) return;
    setLoading(true);
    getAnswer<Paged<Item>>(path, { ...query, cursor: extra.nextCursor }).then(
      (page) => {
        setExtra((previous) => ({ items: [...previous.items, ...page.items], nextCursor: page.next_cursor }));
        setLoading(false);
      },
      (failure: unknown) => {
        setError(failure instanceof Error ? failure : new Error(String(failure)));
        setLoading(false);
      },
    );
  };
  const items = useMemo(() => [...first.items, ...extra.items], [first, extra]);
  return { items, nextCursor: extra.nextCursor, isLoading, error, loadMore };
}
