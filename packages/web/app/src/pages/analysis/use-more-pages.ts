// The pages after an answer's first, fetched on demand ("show more") and appended: for grouped
// answers whose groups rarely fill one page. Forgotten as soon as a new first page arrives.
import { useMemo, useState } from 'preact/hooks';
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

interface Extra<Item> {
  /** The first page these pages follow: pages of an older question are never shown with a newer one. */
  readonly after: Paged<Item>;
  readonly items: readonly Item[];
  readonly nextCursor: string | null;
  readonly isLoading: boolean;
  readonly error: Error | undefined;
}

export function useMorePages<Item>(path: string, query: Query, first: Paged<Item>): MorePages<Item> {
  const [stored, setStored] = useState<Extra<Item> | undefined>(undefined);
  const extra: Extra<Item> = stored !== undefined && stored.after === first ? stored : { after: first, items: [], nextCursor: first.next_cursor, isLoading: false, error: undefined };
  const loadMore = (): void => {
    if (extra.nextCursor === null || extra.isLoading) return;
    setStored({ ...extra, isLoading: true, error: undefined });
    getAnswer<Paged<Item>>(path, { ...query, cursor: extra.nextCursor }).then(
      (page) =>
        setStored((previous) =>
          previous?.after === first ? { after: first, items: [...previous.items, ...page.items], nextCursor: page.next_cursor, isLoading: false, error: undefined } : previous,
        ),
      (failure: unknown) =>
        setStored((previous) => (previous?.after === first ? { ...previous, isLoading: false, error: failure instanceof Error ? failure : new Error(String(failure)) } : previous)),
    );
  };
  const items = useMemo(() => [...first.items, ...extra.items], [first, extra.items]);
  return { items, nextCursor: extra.nextCursor, isLoading: extra.isLoading, error: extra.error, loadMore };
}
