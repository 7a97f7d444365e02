// Where the built web app is, for the server that serves it (`convotel serve`). The app itself
// (app/) runs in the browser and reaches data only through the REST API.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder `npm run build` writes the app to: index.html and fingerprinted assets/. */
export const WEB_APP_DIR = fileURLToPath(new URL('./app/', import.meta.url));

/** Whether the app has been built into `dir` (it is built by `npm install` and `npm run build`). */
export function isWebAppBuilt(dir: string = WEB_APP_DIR): boolean {
  return existsSync(join(dir, 'index.html'));
}
