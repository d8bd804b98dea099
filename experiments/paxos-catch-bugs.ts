/**
 * Measures how fast the property runner catches each Paxos bug switch and how small it shrinks the
 * fault schedule, and runs the correct protocols under the same generated faults.
 *
 *   npx tsx --conditions=@dsim/source experiments/paxos-catch-bugs.ts                              # every hunt, up to 1000 runs each
 *   npx tsx --conditions=@dsim/source experiments/paxos-catch-bugs.ts paxos:nonUniqueBallots 200   # one hunt, 200 runs
 */
import { findCounterexample, formatCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { paxosHunts } from '@dsim/paxos';

const only = process.argv[2];
const runs = Number(process.argv[3] ?? 1000);
for (const hunt of paxosHunts) {
  if (only && only !== 'all' && hunt.id !== only) continue;
  const started = process.hrtime.bigint();
  const report = findCounterexample({ ...hunt.options, registry, numRuns: runs, outDir: '.dsim/failures' });
  const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
  if (!report.found) {
    console.log(`${hunt.id}: not caught in ${report.runs} runs (${seconds}s)`);
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
