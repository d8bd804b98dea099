export { main, usage } from './main.ts';
export { loadScenario } from './load-scenario.ts';
export { parseSeedRange, parseShard, shardSeeds, runSeeds } from './commands/sweep.ts';
export { runSeed, type SeedResult } from './sweep-worker.ts';
export { UsageError, EXIT_OK, EXIT_VIOLATION, EXIT_USAGE } from './errors.ts';
