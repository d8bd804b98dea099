#!/usr/bin/env node
// dsim is written in TypeScript and runs without a build step: a small module hook strips the
// types as files load, which also lets `dsim run` load scenario files written in TypeScript.
import './register-typescript.mjs';

// The loader writes inline source maps: with them on, a handler's stack names its .ts line.
process.setSourceMapsEnabled(true);

const { main, exitOnInterrupt, exitQuietlyOnClosedPipe } = await import('../src/main.ts');
exitOnInterrupt();
exitQuietlyOnClosedPipe();
process.exitCode = await main(process.argv.slice(2));
