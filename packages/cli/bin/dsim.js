#!/usr/bin/env node
// The TypeScript loader runs the workspace's sources without a build step, and in an installed
// dsim it loads the user's own TypeScript: scenario files, protocols and dsim.config.ts.
import { existsSync } from 'node:fs';
import './register-typescript.mjs';

// Inline source maps (the loader's) and dist/'s .map files: a handler's stack names its .ts line.
process.setSourceMapsEnabled(true);

const source = new URL('../src/main.ts', import.meta.url);
const entry = existsSync(source) ? source : new URL('../dist/main.js', import.meta.url);
const { main, exitOnInterrupt, exitQuietlyOnClosedPipe } = await import(entry.href);
exitOnInterrupt();
exitQuietlyOnClosedPipe();
process.exitCode = await main(process.argv.slice(2));
