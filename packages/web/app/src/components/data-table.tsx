// A table of rows with typed columns; a column with `sortKey` sorts on click (client-side, for
// answers that are already one page; server-sorted lists pass `onSort`).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export interface Column<Row> {
  readonly label: string;
  readonly cell: (row: Row) => ComponentChildren;
  /** Value to sort by (client-side sorting). */
  readonly sortValue?: (row: Row) => number | string | null;
  readonly isNumeric?: boolean;
}

export function DataTable<Row>({ rows, columns, rowKey, caption, rowClass }: { rows: readonly Row[]; columns: readonly Column<Row>[]; rowKey: (row: Row, index: number) => string; caption?: string; rowClass?: (row: Row) => string | undefined }) {
  const [sort, setSort] = useState<{ index: number; isDescending: boolean } | undefined>(undefined);
  let shown = rows;
  const sortColumn = sort === undefined ? undefined : columns[sort.index];
  if (sort !== undefined && sortColumn?.sortValue !== undefined) {
    const value = sortColumn.sortValue;
    shown = [...rows].sort((a, b) => {
      const left = value(a);
      const right = value(b);
      if (left === right) return 0;
      if (left === null) return 1;
      if (right === null) return -1;
      const order = left < right ? -1 : 1;
      return sort.isDescending ? -order : order;
    });
  }
  return (
    <table class="data-table">
      {caption !== undefined && <caption>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column, index) => (
            <th key={column.label} class={column.isNumeric === true ? 'num' : undefined} aria-sort={sort?.index === index ? (sort.isDescending ? 'descending' : 'ascending') : undefined}>
              {column.sortValue === undefined ? (
                column.label
              ) : (
                <button type="button" class="sort" onClick={() => setSort({ index, isDescending: sort?.index === index ? !sort.isDescending : true })}>
                  {column.label}
                  {sort?.index === index ? (sort.isDescending ? ' ↓' : ' ↑') : ''}
                </button>
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {shown.map((row, index) => (
          <tr key={rowKey(row, index)} class={rowClass?.(row)}>
            {columns.map((column) => (
              <td key={column.label} class={column.isNumeric === true ? 'num' : undefined}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
