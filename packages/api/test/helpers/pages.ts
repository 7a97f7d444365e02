// Walking a list's cursor to its end.

/** Every item of every page, following next_cursor from the first page on. */
export async function walkPages<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor: string | null }>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    pages += 1;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return { items, pages };
}
