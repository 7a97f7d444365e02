// The API key of this tab: asked for once when the API answers 401, kept in sessionStorage (it
// goes with the tab, never to other tabs or to disk beyond the browser's session).
const STORAGE_KEY = 'convotel.api-key';

type Listener = () => void;
const listeners = new Set<Listener>();
let isNeeded = false;
let waiters: Array<() => void> = [];

export function apiKey(): string | undefined {
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

/** Whether a request is waiting for a key (the prompt shows while this is true). */
export function isKeyNeeded(): boolean {
  return isNeeded;
}

export function subscribeToKeyNeed(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}

/** Called on a 401: forgets a key the API refused and waits until the person gives one. */
export function waitForKey(refusedKey: string | undefined): Promise<void> {
  if (refusedKey !== undefined && refusedKey === apiKey()) sessionStorage.removeItem(STORAGE_KEY);
  if (!isNeeded) {
    isNeeded = true;
    notify();
  }
  return new Promise((resolve) => waiters.push(resolve));
}

/** Keeps `key` for the tab and lets every request that waited for it go again. */
export function provideKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
  isNeeded = false;
  const waiting = waiters;
  waiters = [];
  notify();
  for (const resolve of waiting) resolve();
}
