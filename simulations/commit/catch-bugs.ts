/**
 * Measures how fast the property runner catches each bug switch, and how small it shrinks the
 * fault schedule; also hunts the 3PC partition counterexample.
 *
 *   npx tsx simulations/commit/catch-bugs.ts                 # every switch, up to 1000 runs each
 *   npx tsx simulations/commit/catch-bugs.ts skipPreCommit   # one switch
 *   npx tsx simulations/commit/catch-bugs.ts 3pc-partition   # the 3PC partition hunt
 *
 * Each bug is hunted in a fault space where the correct protocol is safe: all kinds for 2PC,
 * crash-only for Skeen's 3PC (its correctness assumes no partitions, loss or false suspicion).
 */
import { findCounterexample, formatCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { commitHunts } from './hunts.ts';

const only = process.argv[2];
for (const hunt of commitHunts) {
  if (only && hunt.id !== only) continue;
  const started = process.hrtime.bigint();
  const report = findCounterexample({ ...hunt.options, registry, numRuns: 1000, outDir: '.dsim/failures' });
  const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
  if (!report.found) {
    console.log(`${hunt.id}: NOT caught in ${report.runs} runs (${seconds}s)`);
    continue;
  }
  console.log(
    `${hunt.id}: caught after ${report.runsToFailure} runs; ${report.originalSize.episodes} episodes (${report.originalSize.scheduledFaults} faults) shrunk to ${report.shrunkSize.episodes} (${report.shrunkSize.scheduledFaults}) in ${report.shrinks} shrinks (${seconds}s)`,
  );
  console.log(
    formatCounterexample(hunt.id, report)
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n'),
  );
}
