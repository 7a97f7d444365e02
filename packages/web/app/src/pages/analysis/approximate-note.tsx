// Which figures of an answer were read from rollup histograms: a muted note under the table.
export function ApproximateNote({ fields }: { fields: readonly string[] }) {
  if (fields.length === 0) return null;
  return (
    <p class="approximate-note" data-testid="approximate-note">
      Approximate (read from rollup histograms, within 1%): {fields.join(', ')}
    </p>
  );
}
