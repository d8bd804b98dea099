/**
 * How many property runs each Kafka bug switch needs to be caught, and how small the shrunk fault
 * schedule is. With --without, each hunt runs with its switch off instead and must pass every run
 * (the same drawn schedules: the hunt's setup alone breaks nothing Kafka promises). Usage: node --import
 * ./packages/cli/bin/register-typescript.mjs experiments/kafka-catch-bugs.ts [runs=1000] [--without] [bug...]
 */
import { findCounterexample } from '@dsim/property';
import { registry } from '@dsim/registry';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaHunts } from '@dsim/kafka';

const args = process.argv.slice(2);
const without = args.includes('--without');
const positional = args.filter((arg) => arg !== '--without');
const numRuns = Number(positional[0] ?? 1000);
const only = positional.slice(1);
for (const hunt of kafkaHunts.filter((h) => only.length === 0 || only.includes(h.id))) {
  const { bugs: _switch, ...withoutSwitch } = hunt.options.scenario;
  const report = findCounterexample({
    ...hunt.options,
    ...(without ? { scenario: withoutSwitch } : {}),
    registry,
    numRuns,
    maxShrinkRuns: 300,
    outDir: join(tmpdir(), 'dsim-kafka-failures'),
  });
  if (!report.found) {
    console.log(`${hunt.id}${without ? ' (switch off)' : ''}: not caught in ${report.runs} runs`);
    continue;
  }
  const faults = report.shrunkFaults.filter(({ fault }) => !['heal', 'restart', 'resume'].includes(fault.type));
  console.log(
    `${hunt.id}${without ? ' (switch off)' : ''}: caught at run ${report.runsToFailure}; ` +
      `episodes ${report.originalSize.episodes} → ${report.shrunkSize.episodes} ` +
      `(${faults.length} faults: ${faults.map(({ fault }) => fault.type).join(', ') || 'none'}); ` +
      `reproduced ${report.reproduced}; ${report.violation.slice(0, 160)}; ${report.scenarioFile}`,
  );
}
