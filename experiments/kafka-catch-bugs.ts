/**
 * How many property runs each Kafka bug switch needs to be caught, and how small the shrunk fault
 * schedule is. Usage: node --import ./packages/cli/bin/register-typescript.mjs
 * experiments/kafka-catch-bugs.ts [runs=1000] [bug...]
 */
import { findCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaHunts } from '@dsim/kafka';

const numRuns = Number(process.argv[2] ?? 1000);
const only = process.argv.slice(3);
for (const hunt of kafkaHunts.filter((h) => only.length === 0 || only.includes(h.id))) {
  const report = findCounterexample({
    ...hunt.options,
    registry,
    numRuns,
    maxShrinkRuns: 300,
    outDir: join(tmpdir(), 'dsim-kafka-failures'),
  });
  if (!report.found) {
    console.log(`${hunt.id}: not caught in ${report.runs} runs`);
    continue;
  }
  const faults = report.shrunkFaults.filter(({ fault }) => !['heal', 'restart', 'resume'].includes(fault.type));
  console.log(
    `${hunt.id}: caught at run ${report.runsToFailure}; shrunk to ${report.shrunkSize.episodes} episodes ` +
      `(${faults.length} faults: ${faults.map(({ fault }) => fault.type).join(', ') || 'none'}); ` +
      `reproduced ${report.reproduced}; ${report.violation.slice(0, 160)}; ${report.scenarioFile}`,
  );
}
