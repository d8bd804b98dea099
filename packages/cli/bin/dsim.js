#!/usr/bin/env node
// dsim is written in TypeScript and runs without a build step: tsx compiles on the fly, which
// also lets `dsim run` load scenario files written in TypeScript.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
