/**
 * Does property testing catch every bug switch? For each hunt a protocol package exports
 * (`bugHunts`: a bug switch on, and generated, shrinkable fault schedules of the kinds that can
 * expose it), report how many runs it took to fail and how small the schedule shrank.
 *
 *   npx -y pnpm@10 experiment catch-bugs raft|commit|distro [--runs 1000] [--bug id] [--without] [--save]
 *
 * --without runs the same hunts with the switch off (the correct protocol must pass every run);
 * --save copies each shrunk counterexample to the package's test/fixtures, which its default test
 * suite replays. Commit's hunts include 3pc-partition: Skeen's 3PC, correct, under partitions it
 * was never designed for.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFault, formatMicros } from '@dsim/core';
import { bugHunts as commitHunts } from '@dsim/commit';
import { bugHunts as distroHunts } from '@dsim/distro';
import { findCounterexample, type Hunt } from '@dsim/property';
import { bugHunts as raftHunts } from '@dsim/raft';
import { registry } from '@dsim/registry';
import { parseFlags, wholeNumber } from './lib/flags.ts';

export const description = 'hunts every bug switch with the property runner; runs to catch and shrunk size';
export const usage = 'raft|commit|distro [--runs 1000] [--bug id] [--without] [--save]';

const packages: Record<string, { readonly hunts: readonly Hunt[]; readonly fixtures: string }> = {
  raft: { hunts: raftHunts, fixtures: 'packages/protocols/raft/test/fixtures' },
  commit: { hunts: commitHunts, fixtures: 'packages/protocols/commit/test/fixtures' },
  distro: { hunts: distroHunts, fixtures: 'packages/protocols/distro/test/fixtures' },
};

export function main(args: readonly string[]): number {
  const { values, on, positional } = parseFlags(args, ['runs', 'bug'], ['without', 'save']);
  const which = positional[0];
  const target = which === undefined ? undefined : packages[which];
  if (!target) throw new Error(`name the package to hunt: ${Object.keys(packages).join(' or ')} (${usage})`);
  const runs = wholeNumber(values.runs, 'runs', 1000);
  const only = values.bug;
  if (only !== undefined && !target.hunts.some((hunt) => hunt.id === only))
    throw new Error(`--bug ${only}: no such hunt; ${which}'s hunts: ${target.hunts.map((hunt) => hunt.id).join(', ')}`);
  let missed = 0;
  for (const hunt of target.hunts) {
    if (only !== undefined && hunt.id !== only) continue;
    const started = performance.now();
    const run = on.has('without')
      ? { ...hunt, name: `${hunt.name} (without the switch)`, scenario: { ...hunt.scenario, bugs: [] } }
      : hunt;
    const report = findCounterexample({ ...run, registry, numRuns: runs, outDir: '.dsim/failures' });
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    if (!report.found) {
      console.log(`${hunt.id}: NOT caught in ${report.runs} runs (${seconds}s)`);
      if (!on.has('without')) missed++;
      continue;
    }
    if (on.has('without')) missed++;
    console.log(
      `${hunt.id}: caught after ${report.runsToFailure} runs; ${report.originalSize.episodes} episodes shrunk to ${report.shrunkSize.episodes} (${report.shrunkSize.scheduledFaults} scheduled faults) in ${report.shrinks} shrinks (${report.removedAfterShrinking} by the removal passes); ${seconds}s`,
    );
    console.log(`  violation: ${report.violation.slice(0, 200)}`);
    for (const { at, fault } of report.shrunkFaults) console.log(`    at ${formatMicros(at)} ${describeFault(fault)}`);
    console.log(`  replay: ${report.replayCommand}`);
    if (on.has('save') && !on.has('without') && hunt.bug !== undefined) {
      const protocol =
        typeof hunt.scenario.protocol === 'string' ? hunt.scenario.protocol : hunt.scenario.protocol.name;
      const fixture = join(target.fixtures, `${protocol}-bug-${hunt.bug.toLowerCase()}.json`);
      copyFileSync(report.scenarioFile, fixture);
      console.log(`  saved: ${fixture}`);
    }
  }
  // Exit 1 when a switch escaped, or when the correct protocol failed a hunt run --without its switch.
  return missed > 0 ? 1 : 0;
}
