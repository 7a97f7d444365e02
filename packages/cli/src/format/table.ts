// Aligned plain-text tables as the seed session prints them: a header, a dashed rule, one line
// per row; numbers right-aligned, text left-aligned. Widths are display columns (string-width),
// so ✓, ← and CJK ids line up.
import stringWidth from 'string-width';

export interface Column<T> {
  /** '' for a trailing note column (e.g. "← Peak hour"). */
  readonly header: string;
  /** Default left; numbers go right. */
  readonly align?: 'left' | 'right';
  readonly value: (row: T) => string;
}

/** Space between columns. */
const GAP = '  ';

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

function render<T>(columns: readonly Column<T>[], rows: readonly T[], indent: string, hasHeader: boolean): string[] {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) =>
    Math.max(hasHeader ? stringWidth(column.header) : 0, ...cells.map((line) => stringWidth(line[i] ?? ''))),
  );
  const line = (values: readonly string[]): string =>
    (indent + values.map((value, i) => pad(value, widths[i] ?? 0, columns[i]?.align ?? 'left')).join(GAP)).trimEnd();
  if (!hasHeader) return cells.map(line);
  const header = line(columns.map((column) => column.header));
  return [header, indent + '-'.repeat(Math.max(stringWidth(header) - indent.length, 1)), ...cells.map(line)];
}

/** The table's lines: header, rule, rows. Trailing blanks are trimmed. */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[], indent = ''): string[] {
  return render(columns, rows, indent, true);
}

/** Rows aligned in columns, without a header (step breakdowns, call lists). */
export function renderRows<T>(columns: readonly Column<T>[], rows: readonly T[], indent = ''): string[] {
  return render(columns, rows, indent, false);
}
