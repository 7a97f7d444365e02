// One headline figure; a figure with a list behind it links there.
import type { ComponentChildren } from 'preact';

export function Figure({ label, value, href, note, testId }: { label: string; value: ComponentChildren; href?: string; note?: ComponentChildren; testId?: string }) {
  const body = (
    <>
      <span class="figure-label">{label}</span>
      <span class="figure-value" data-testid={testId}>
        {value}
      </span>
      {note !== undefined && <span class="figure-note">{note}</span>}
    </>
  );
  return href === undefined ? <div class="figure">{body}</div> : <a class="figure" href={href}>{body}</a>;
}
