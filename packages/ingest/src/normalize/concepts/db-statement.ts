// SQL statement normalization for `db_queries`: literals become `?` so statements group by
// shape and carry no user data; whitespace is collapsed. Pure.

/** Longest normalized statement kept (characters). */
export const MAX_STATEMENT_LENGTH = 8192;

const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/'(?:[^']|'')*'/g, '?'], // string literals
  [/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, '?'], // dollar-quoted strings
  [/(?<![\w$.])\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, '?'], // numbers (not $1 placeholders or parts of names)
  [/\s+/g, ' '], // whitespace
];

/** The statement with literals replaced by `?`, collapsed whitespace, cut to {@link MAX_STATEMENT_LENGTH}. */
export function normalizeStatement(statement: string): string {
  let normalized = statement;
  for (const [pattern, replacement] of PATTERNS) normalized = normalized.replace(pattern, replacement);
  normalized = normalized.trim();
  return normalized.length > MAX_STATEMENT_LENGTH ? normalized.slice(0, MAX_STATEMENT_LENGTH) : normalized;
}

/** The statement's verb (`SELECT`, `INSERT`, …) when no operation attribute names it. */
export function statementVerb(statement: string): string | undefined {
  const match = /^\s*(?:with\b[\s\S]*?\)\s*)?([a-z]+)/i.exec(statement);
  return match?.[1]?.toUpperCase();
}
