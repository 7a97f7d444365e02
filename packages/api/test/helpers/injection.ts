// Values that break SQL built by concatenation, LIKE patterns, JSON paths or URL handling.
export const INJECTION_STRINGS: readonly string[] = [
  `' OR '1'='1`,
  `'; DROP TABLE conversations; --`,
  `" OR ""="`,
  `1) OR (1=1`,
  `$1`,
  `%' OR 1=1 --`,
  `\\'; SELECT pg_sleep(5); --`,
  `x' UNION SELECT conversation_id FROM conversations --`,
  `{"$ne": null}`,
  `../../etc/passwd`,
  `\u0000`,
  `ﾟ✓ 日本語 'quoted'`,
];
