export { main, usage } from './main.ts';
export { loadScenario } from './load-scenario.ts';
export { parseSeedRange, parseShard, shardSeeds, runJobs, measureTotals } from './commands/sweep.ts';
export { runSeed, runFamilySeed, type SeedResult, type SweepSource } from './sweep-worker.ts';
export { UsageError, EXIT_OK, EXIT_VIOLATION, EXIT_USAGE } from './errors.ts';
