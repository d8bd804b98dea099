export { main, usage } from './main.ts';
export { loadScenario } from './load-scenario.ts';
export { parseSeedRange, parseShard, shardSeeds, runJobs } from './commands/sweep.ts';
export { measureTotals } from './family-args.ts';
export { runSeed, runFamilySeed, type SeedResult, type SweepSource } from './sweep-worker.ts';
export { UsageError } from './errors.ts';
export * from './exit-codes.ts';
export { defineConfig, type DsimConfig } from './config.ts';
