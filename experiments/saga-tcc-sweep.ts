/**
 * Seed sweep of TCC and Saga over the aggressive family (@dsim/saga-tcc families): random
 * transfers over a reordering network with partitions, crashes, pauses, loss and duplication,
 * then a quiet period. Prints the runs, the violations (with the seed to replay) and what the runs
 * reached. Usage:
 *   node --import ./packages/cli/bin/register-typescript.mjs experiments/saga-tcc-sweep.ts [protocol] [seeds] [first] [bug] [family]
 * e.g. `... saga-tcc-sweep.ts tcc 10000 1`, or `... saga 1000 1 '' choreographed`.
 */
import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { families, sagaFamilies } from '@dsim/saga-tcc';

const [protocol = 'tcc', seedsText = '100', firstText = '1', bug, familyName = 'aggressive'] = process.argv.slice(2);
if (protocol !== 'tcc' && protocol !== 'saga') throw new Error(`protocol: 'tcc' or 'saga', got '${protocol}'`);
const seeds = Number(seedsText);
const first = Number(firstText);
const family = (protocol === 'tcc' ? families : sagaFamilies)[familyName as 'aggressive'];
if (!family) throw new Error(`family: '${familyName}' is not a family of ${protocol}`);
const failures: string[] = [];
let transactions = 0;
let emptyRollbacks = 0;
let suspended = 0;
const started = process.hrtime.bigint();
for (let seed = first; seed < first + seeds; seed++) {
  const scenario = family.scenario(seed, bug ? { bugs: [bug] } : undefined);
  const result = runScenario(scenario, { registry }, { stateMode: 'mutable', trace: 'off' });
  transactions += result.history.filter((entry) => entry.type !== 'invoke').length;
  for (const [, summary] of result.summaries) {
    emptyRollbacks += Number(summary?.emptyRollbacks ?? 0);
    suspended += Number(summary?.suspended ?? 0);
  }
  if (result.violations.length > 0) {
    failures.push(`seed ${seed}: ${result.violations[0]!.invariant}: ${result.violations[0]!.message.slice(0, 200)}`);
    console.log(failures.at(-1));
  }
  if ((seed - first + 1) % 500 === 0) console.log(`... ${seed - first + 1} runs, ${failures.length} with a violation`);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  `${protocol} ${familyName}${bug ? ` bug ${bug}` : ''}: seeds ${first}..${first + seeds - 1}, ${seeds} runs in ${seconds.toFixed(0)} s, ` +
    `${transactions} completed requests, ${failures.length} runs with a violation`,
);
console.log(
  `empty rollbacks in the final node summaries (counters restart with a node): ${emptyRollbacks}; late Tries refused: ${suspended}`,
);
for (const failure of failures.slice(0, 20)) console.log(failure);
