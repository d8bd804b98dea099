// Worker threads do not inherit the main thread's module hooks: register the TypeScript loader
// here, then load the worker (its TypeScript source in the workspace, its JavaScript when
// installed). Plain JS so that Node can start it without any loader.
import { existsSync } from 'node:fs';

await import(new URL('../bin/register-typescript.mjs', import.meta.url).href);
const source = new URL('./check-worker.ts', import.meta.url);
await import((existsSync(source) ? source : new URL('./check-worker.js', import.meta.url)).href);
