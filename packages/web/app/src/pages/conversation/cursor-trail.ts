// "Previous page" over a cursor-paged list: the API only gives next_cursor, so each page remembers
// the cursor of the page before it (per tab, in sessionStorage, so reloads and back keep working).
const STORAGE_KEY = 'convotel.cursor-trail';
/** A first page (no cursor) in the trail. */
const FIRST_PAGE = '';

function readTrail(): Record<string, string> {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

/** Remembers that `next` follows `current` (undefined: the first page) in the list `scope` (its filters). */
export function rememberNext(scope: string, current: string | undefined, next: string): void {
  const trail = readTrail();
  trail[`${scope} ${next}`] = current ?? FIRST_PAGE;
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(trail));
  } catch {
    // Storage full or off: "previous" falls back to the first page.
  }
}

/**
 * The cursor of the page before `current`: undefined for the first page, null when `current`
 * is the first page. A cursor not in the trail (a pasted link) goes back to the first page.
 */
export function previousOf(scope: string, current: string | undefined): string | undefined | null {
  if (current === undefined) return null;
  const previous = readTrail()[`${scope} ${current}`];
  return previous === undefined || previous === FIRST_PAGE ? undefined : previous;
}
