import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/format/table.js';

describe('renderTable', () => {
  it('aligns by display width: text left, numbers right, wide characters counted twice, no trailing blanks', () => {
    const rows = [
      { id: 'conv-1', turns: 3, note: '← Peak hour' },
      { id: '会話-2', turns: 12, note: '' },
    ];
    const lines = renderTable(
      [
        { header: 'Conversation', value: (r: (typeof rows)[number]) => r.id },
        { header: 'Turns', align: 'right', value: (r) => String(r.turns) },
        { header: '', value: (r) => r.note },
      ],
      rows,
    );
    expect(lines).toEqual(['Conversation  Turns', '-------------------', 'conv-1            3  ← Peak hour', '会話-2           12']);
    expect(stringWidth(lines[3]!)).toBe(stringWidth(lines[0]!));
  });
});
