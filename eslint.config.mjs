// House rules that the compiler does not check (STYLE.md §3, §4, §15).
import tseslint from 'typescript-eslint';

const DRIVERS = ['pg', 'pg-copy-streams', '@electric-sql/pglite'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/ingest/test/fixtures/capture/**', 'bench/**'] },
  {
    files: ['packages/*/src/**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Export by name: the public API is a list, not a wildcard.' }],
    },
  },
  {
    // Only the store's two adapters (PostgreSQL with its listener, PGlite) talk to a database
    // driver; express stays in the HTTP layer.
    files: ['packages/ingest/src/**/*.ts'],
    ignores: [
      'packages/ingest/src/store/postgres.ts',
      'packages/ingest/src/store/postgres-listener.ts',
      'packages/ingest/src/store/pglite.ts',
      'packages/ingest/src/http/**',
      'packages/ingest/src/app.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [...DRIVERS, 'express'] }] },
  },
  {
    files: ['packages/ingest/src/http/**/*.ts', 'packages/ingest/src/app.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: DRIVERS }] },
  },
  {
    // The read side: queries reach the database only through the store's SqlClient, never a
    // driver, and know nothing of HTTP; the API reaches the database only through queries.
    files: ['packages/query/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...DRIVERS, 'express', 'zod'] }] },
  },
  {
    files: ['packages/api/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: DRIVERS }] },
  },
  {
    // Normalization is pure: no I/O, no HTTP, no database.
    files: ['packages/ingest/src/normalize/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...DRIVERS, 'express', 'node:fs', 'node:fs/promises', 'node:http', 'node:net'], patterns: ['**/store/**', '**/http/**'] },
      ],
    },
  },
);
