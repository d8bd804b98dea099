// `node --import <this file> script.ts` runs a TypeScript file with dsim's loader.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

// Inside the dsim workspace the packages run from their TypeScript sources: the loader then
// resolves @dsim/* through the "@dsim/source" export condition. An installed @dsim/cli ships
// only dist/, so its packages resolve to their compiled JavaScript, and the loader is there for
// the user's own TypeScript files (scenarios, protocols, dsim.config.ts).
const fromSource = existsSync(new URL('../src/main.ts', import.meta.url));

register('./typescript-hooks.mjs', { parentURL: import.meta.url, data: { fromSource } });
