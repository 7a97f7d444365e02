// Builds the browser app into ../dist/app (served by `convotel serve` at /): fingerprinted
// assets and a .gz beside each, so the server sends compressed bytes without compressing per request.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // Which chunks each page loads, for bench/web/bundle-size.mjs (not served: only assets/ is).
    manifest: true,
  },
  plugins: [compression({ algorithms: ['gzip'], threshold: 1024 })],
  logLevel: 'warn',
});
