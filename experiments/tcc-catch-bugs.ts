/**
 * Hunts every bug switch of TCC and Saga with the property runner (up to 1,000 runs each) and
 * prints runs to the first failure, the violated invariant, and the shrunk schedule's size.
 * Usage: node --import ./packages/cli/bin/register-typescript.mjs experiments/tcc-catch-bugs.ts [runs] [id-substring]
 */
import { describeFault } from '@dsim/core';
import { findCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { bugHunts } from '@dsim/saga-tcc';

const runs = Number(process.argv[2] ?? 1000);
const only = process.argv[3];
for (const hunt of bugHunts.filter((candidate) => only === undefined || candidate.id.includes(only))) {
  const report = findCounterexample({ ...hunt.options, registry, numRuns: runs, outDir: '.dsim/failures' });
  if (!report.found) {
    console.log(`${hunt.id}: NOT caught in ${report.runs} runs`);
    continue;
  }
  const faults = report.shrunkFaults.filter(
    ({ fault }) => fault.type !== 'heal' && fault.type !== 'restart' && fault.type !== 'resume',
  );
  console.log(
    `${hunt.id}: caught after ${report.runsToFailure} run(s); shrunk ${report.originalSize.episodes} -> ${report.shrunkSize.episodes} episode(s) ` +
      `[${faults.map(({ at, fault }) => `${at}us ${describeFault(fault)}`).join('; ')}]; ${report.violation.slice(0, 140)}`,
  );
}
