import { describe, expect, it } from 'vitest';
import { normalizeStatement, statementVerb } from '../../../src/normalize/concepts/db-statement.js';

describe('SQL statements', () => {
  it('replaces literals and collapses whitespace', () => {
    expect(normalizeStatement("SELECT *\n  FROM orders WHERE id = 42 AND note = 'it''s' AND x = $$raw$$ AND t = 1.5e3")).toBe(
      'SELECT * FROM orders WHERE id = ? AND note = ? AND x = ? AND t = ?',
    );
    expect(normalizeStatement('SELECT $1, col2 FROM t2')).toBe('SELECT $1, col2 FROM t2');
    expect(statementVerb('  insert into t values (1)')).toBe('INSERT');
  });
});
