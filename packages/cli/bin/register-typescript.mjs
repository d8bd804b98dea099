// `node --import <this file> script.ts` runs a TypeScript file with dsim's loader.
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
