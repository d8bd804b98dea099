/**
 * Seed sweep of both Paxos seed families (aggressive: single decree; multiAggressive: Multi-Paxos)
 * with every invariant after every step, linearizability at the end and liveness after the heal.
 * Each seed runs on every cluster size given. Failures print the seed and how to reproduce it.
 *
 *   npx tsx --conditions=@dsim/source experiments/paxos-sweep.ts [--family aggressive|multiAggressive] [--seeds 1000] [--from 1] [--nodes 3,5]
 */
import { formatMicros, runScenario } from '@dsim/core';
import { families } from '@dsim/paxos';
import { registry } from '@dsim/registry';

const args: Record<string, string> = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) args[argv[i]!.replace(/^--/, '')] = argv[i + 1] ?? '';
const familyName = (args.family ?? 'aggressive') as keyof typeof families;
const family = families[familyName];
if (family === undefined) throw new Error(`--family: one of ${Object.keys(families).join(', ')}`);
const seeds = Number(args.seeds ?? 1000);
const from = Number(args.from ?? 1);
const sizes = (args.nodes ?? '3,5').split(',').map(Number);
let runs = 0;
let failures = 0;
let operations = 0;
const started = process.hrtime.bigint();
for (let seed = from; seed < from + seeds; seed++) {
  for (const nodes of sizes) {
    const scenario = family.scenario(seed, { nodes });
    const result = runScenario(scenario, { registry }, { trace: 'off', stateMode: 'mutable' });
    runs++;
    operations += result.stats.operations;
    const violation = result.violations[0];
    const failure = violation
      ? `${violation.invariant} at ${formatMicros(violation.time)}: ${violation.message}`
      : result.endReason === 'error'
        ? `error: ${result.error}`
        : undefined;
    if (failure !== undefined) {
      failures++;
      console.log(`FAIL ${familyName} seed ${seed} nodes ${nodes}: ${failure}`);
    }
  }
  if ((seed - from + 1) % 100 === 0) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`${familyName}: ${seed - from + 1} seeds, ${runs} runs, ${failures} failures, ${seconds.toFixed(0)}s`);
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  `${familyName}: seeds ${from}..${from + seeds - 1} × nodes ${sizes.join(',')}: ${runs} runs, ${failures} failures, ${operations} client operations, ${seconds.toFixed(0)}s`,
);
