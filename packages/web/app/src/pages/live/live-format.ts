// How the live page writes times: a clock time (the day is today's), and links to a call and a turn.
export function formatClock(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export const conversationHref = (id: string): string => `/conversations/${encodeURIComponent(id)}`;
export const traceHref = (id: string): string => `/traces/${encodeURIComponent(id)}`;
