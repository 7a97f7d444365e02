// House rules that the compiler does not check (STYLE.md §3, §4, §15).
import tseslint from 'typescript-eslint';

const DRIVERS = ['pg', 'pg-copy-streams', '@electric-sql/pglite'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/ingest/test/fixtures/capture/**', 'bench/**'] },
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.cts', 'examples/*/src/**/*.ts'],
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
    // Only the store package's two adapters talk to a database driver; it serves both sides and
    // imports neither.
    files: ['packages/store/src/**/*.ts'],
    ignores: ['packages/store/src/postgres.ts', 'packages/store/src/postgres-listener.ts', 'packages/store/src/pglite.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...DRIVERS, 'express'], patterns: ['@convotel/ingest', '@convotel/ingest/*'] }] },
  },
  {
    // The ingest reaches the database through @convotel/store; express stays in the HTTP layer.
    files: ['packages/ingest/src/**/*.ts'],
    ignores: ['packages/ingest/src/http/**', 'packages/ingest/src/app.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...DRIVERS, 'express'] }] },
  },
  {
    files: ['packages/ingest/src/http/**/*.ts', 'packages/ingest/src/app.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: DRIVERS, patterns: ['**/store/**'] }] },
  },
  {
    // The pipeline hands rows to a sink it knows only by its contract (sink/); the store implements it.
    files: ['packages/ingest/src/pipeline/**/*.ts', 'packages/ingest/src/sink/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...DRIVERS, 'express'], patterns: ['**/store/**', '**/http/**'] }] },
  },
  {
    // The read side: queries reach the database only through the store's SqlClient, never a
    // driver, and know nothing of HTTP; the API reaches the database only through queries.
    // Neither imports the write side (@convotel/ingest): both share the store package only.
    files: ['packages/query/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...DRIVERS, 'express', 'zod'], patterns: ['@convotel/ingest', '@convotel/ingest/*'] }] },
  },
  {
    files: ['packages/api/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: DRIVERS, patterns: ['@convotel/ingest', '@convotel/ingest/*'] }] },
  },
  {
    // The CLI's analytics commands reach data only over the API's HTTP: no code of the
    // ingest, the API or the queries at run time (their public types may be checked against).
    files: ['packages/cli/src/**/*.ts'],
    ignores: ['packages/cli/src/commands/serve.ts', 'packages/cli/src/commands/migrate.ts', 'packages/cli/src/commands/cleanup.ts', 'packages/cli/src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...DRIVERS, 'express'],
          patterns: [{ group: ['@convotel/ingest', '@convotel/api', '@convotel/query', '@convotel/store'], allowTypeImports: true, message: 'Analytics commands use the HTTP API only.' }],
        },
      ],
    },
  },
  {
    // The web app runs in the browser and reads data only over the HTTP API: the API's answer
    // types may be checked against, no package's code is bundled.
    files: ['packages/web/app/src/**/*.ts', 'packages/web/app/src/**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@convotel/*'], allowTypeImports: true, message: 'The web app uses the HTTP API only.' }] },
      ],
    },
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
