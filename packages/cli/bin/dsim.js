#!/usr/bin/env node
// dsim is written in TypeScript and runs without a build step: a small module hook strips the
// types as files load, which also lets `dsim run` load scenario files written in TypeScript.
import './register-typescript.mjs';

const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
