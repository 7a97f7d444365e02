// What a browser downloads for each page of the web app, gzip-ed as the server sends it: the first
// load (index.html's script and styles) and each page's own chunks on top. Reads the built app
// (npm run build) and its Vite manifest; prints a table. Run: npm run bench:web
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const APP = fileURLToPath(new URL('../../packages/web/dist/app/', import.meta.url));
const manifest = JSON.parse(await readFile(join(APP, '.vite', 'manifest.json'), 'utf8'));

async function gzipBytes(file) {
  const path = join(APP, file);
  try {
    return (await stat(`${path}.gz`)).size;
  } catch {
    // Files under the compression threshold are sent as they are... unless the server gzips; count both ways alike.
    return gzipSync(await readFile(path)).length;
  }
}

/** Every file a chunk pulls in (static imports, their CSS), excluding those in `loaded`. */
function filesOf(key, loaded, seen = new Set()) {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key];
  const files = [chunk.file, ...(chunk.css ?? [])].filter((file) => !loaded.has(file));
  for (const imported of chunk.imports ?? []) files.push(...filesOf(imported, loaded, seen));
  return [...new Set(files)];
}

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
const initial = filesOf(entryKey, new Set());
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let initialBytes = 0;
for (const file of initial) initialBytes += await gzipBytes(file);

const rows = [];
for (const key of Object.keys(manifest).filter((k) => k.includes('/pages/'))) {
  const own = filesOf(key, new Set(initial));
  let bytes = 0;
  for (const file of own) bytes += await gzipBytes(file);
  rows.push([key.replace(/^.*\/pages\//, ''), bytes, initialBytes + bytes]);
}
rows.sort((a, b) => b[2] - a[2]);
let allBytes = 0;
for (const chunk of new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]))) allBytes += await gzipBytes(chunk);

console.log(`web app bundle, gzip-ed as served (${new Date().toISOString().slice(0, 10)})`);
console.log(`first load (frame, router, API client, styles): ${kb(initialBytes)}`);
console.log(`${'page module'.padEnd(24)} ${'own chunks'.padStart(12)} ${'first visit'.padStart(12)}`);
for (const [page, own, total] of rows) console.log(`${page.padEnd(24)} ${kb(own).padStart(12)} ${kb(total).padStart(12)}`);
console.log(`every file of the app: ${kb(allBytes)} (budget 300 KB)`);
