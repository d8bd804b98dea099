/**
 * Seed sweep of the `kafka/aggressive` family (acks=all, min ISR 2, clean election, current
 * truncation, ELR): counts runs with a violation of an invariant Kafka promises there, and lost
 * acknowledged writes. Usage: node --import ./packages/cli/bin/register-typescript.mjs
 * experiments/kafka-sweep.ts [seeds=200] [firstSeed=1]
 */
import { runScenario } from '@dsim/core';
import { families } from '@dsim/kafka';
import { registry } from '@dsim/registry';

const seeds = Number(process.argv[2] ?? 200);
const first = Number(process.argv[3] ?? 1);
let violations = 0;
let acked = 0;
let failedRecords = 0;
const byInvariant = new Map<string, number>();
for (let seed = first; seed < first + seeds; seed++) {
  const result = runScenario(families.aggressive.scenario(seed), { registry }, { stateMode: 'mutable', trace: 'off' });
  if (result.error) console.log(`seed ${seed}: error ${result.error}`);
  for (const [, summary] of result.summaries)
    if (summary?.role === 'producer') {
      acked += Number(summary['acked']);
      failedRecords += Number(summary['failed']);
    }
  if (result.violations.length > 0) {
    violations++;
    for (const v of result.violations) byInvariant.set(v.invariant, (byInvariant.get(v.invariant) ?? 0) + 1);
    console.log(
      `seed ${seed}: ${result.violations.map((v) => `${v.invariant} at ${v.time}: ${v.message}`).join('; ')}`,
    );
  }
  if ((seed - first + 1) % 100 === 0) console.log(`... ${seed - first + 1} seeds, ${violations} with violations`);
}
console.log(
  `kafka/aggressive seeds ${first}..${first + seeds - 1}: ${seeds} runs, ${violations} with violations ` +
    `(${[...byInvariant].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}); acknowledged records ${acked}, failed records ${failedRecords}`,
);
