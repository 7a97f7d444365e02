// The frame of every page: the navigation (links keep the current window) and the window picker.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { windowOf, windowSearch } from '../window/time-window.js';
import { WindowPicker } from './window-picker.js';

const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/conversations', label: 'Conversations' },
  { path: '/live', label: 'Live' },
  { path: '/steps', label: 'Steps' },
  { path: '/llm', label: 'LLM calls' },
  { path: '/costs', label: 'Costs' },
  { path: '/errors', label: 'Errors' },
  { path: '/compare', label: 'Compare' },
] as const;

const isCurrent = (navPath: string, path: string): boolean => (navPath === '/' ? path === '/' : path === navPath || path.startsWith(`${navPath}/`));

export function Layout({ children }: { children: ComponentChildren }) {
  const { path, query } = useLocation();
  const search = windowSearch(windowOf(query));
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href={`/${search}`}>
          convotel
        </a>
        <nav aria-label="Pages">
          {NAV.map((item) => (
            <a key={item.path} href={`${item.path}${item.path === '/live' ? '' : search}`} aria-current={isCurrent(item.path, path) ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
      </header>
      <main>{children}</main>
    </div>
  );
}

/** A page's heading row: its title, and the window picker when the page answers for a window. */
export function PageHeader({ title, hasWindow = true, children }: { title: string; hasWindow?: boolean; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children}
      {hasWindow && <WindowPicker />}
    </div>
  );
}
