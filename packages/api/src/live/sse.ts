// Server-sent events framing (HTML Living Standard, "Server-sent events"): `id:`, `event:` and
// one `data:` line per line of data, a blank line ending each event; a line starting with `:`
// is a comment (heartbeats).

/** One event; without `id` the client's last event id stays as it was. */
export function toSseEvent(event: { readonly id?: string; readonly event: string; readonly data: string }): string {
  const data = event.data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
  return `${event.id === undefined ? '' : `id: ${toSseField(event.id)}\n`}event: ${toSseField(event.event)}\n${data}\n`;
}

/** A comment line, which clients ignore (keeps proxies from closing an idle stream). */
export function toSseComment(text: string): string {
  return `: ${toSseField(text)}\n\n`;
}

/** The client's reconnection delay, in ms. */
export function toSseRetry(millis: number): string {
  return `retry: ${Math.round(millis)}\n\n`;
}

/** A field value cannot hold a line break (nor, for `id`, NUL). */
function toSseField(value: string): string {
  return value.replace(/[\r\n\u0000]/g, ' ');
}
