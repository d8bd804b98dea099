/**
 * Does property testing catch every Raft bug switch? For each switch, generate fault schedules
 * (fast-check, shrinkable) against a base scenario that gives the bug a chance to matter, and
 * report how many runs it took to fail and how small the schedule shrank.
 *
 *   npx tsx simulations/raft/catch-bugs.ts [--runs 1000] [--bug name]
 */
import { formatMicros, describeFault, type Scenario } from '@dsim/core';
import { findCounterexample, type SimulationPropertyOptions } from '@dsim/property';
import { raft } from '@dsim/raft';

const base: Scenario = {
  name: 'raft-property',
  protocol: raft,
  nodes: 5,
  until: '14s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 10_000 } },
  workload: { name: 'kv', clients: 4, thinkTime: '10ms', timeout: '500ms', stopAt: '13s', options: { keys: 2 } },
};

/** The property for each switch: its bug on, and faults of the kinds that can expose it. */
export function bugProperties(numRuns: number): Array<SimulationPropertyOptions & { bug: string }> {
  const faults = { healAt: '8s', maxFaults: 6, minDuration: '50ms', maxDuration: '2s' } as const;
  return [
    {
      bug: 'readFromFollowerLocal',
      name: 'raft catches readFromFollowerLocal',
      scenario: { ...base, bugs: ['readFromFollowerLocal'] },
      faults: { ...faults, kinds: ['partition', 'crash', 'pause'] },
      numRuns,
    },
    {
      bug: 'skipLogUpToDateCheck',
      name: 'raft catches skipLogUpToDateCheck',
      scenario: { ...base, bugs: ['skipLogUpToDateCheck'] },
      faults: { ...faults, kinds: ['partition', 'crash'] },
      numRuns,
    },
    {
      bug: 'forgetVoteOnRestart',
      name: 'raft catches forgetVoteOnRestart',
      // Without PreVote and CheckQuorum every timeout is a real campaign, and elections overlap often.
      scenario: {
        ...base,
        nodes: 3,
        bugs: ['forgetVoteOnRestart'],
        config: { preVote: false, checkQuorum: false, randomizedElectionTimeout: false },
        network: { latency: { dist: 'uniform', min: 1_000, max: 40_000 } },
      },
      faults: { ...faults, kinds: ['crash', 'loss'], minDuration: '1ms', maxDuration: '100ms' },
      numRuns,
    },
    {
      bug: 'commitPriorTermByCount',
      name: 'raft catches commitPriorTermByCount',
      // One entry per message lets an old-term entry reach a majority before the new term's no-op.
      scenario: {
        ...base,
        bugs: ['commitPriorTermByCount'],
        config: { preVote: false, checkQuorum: false, maxEntriesPerMessage: 1 },
        network: { latency: { dist: 'uniform', min: 1_000, max: 30_000 } },
      },
      faults: { ...faults, kinds: ['partition', 'crash'] },
      numRuns,
    },
    {
      bug: 'leaseReadIgnoresClockDrift',
      name: 'raft catches leaseReadIgnoresClockDrift',
      // Lease reads, one key, a reader pinned to every node, clock faults within the 60 ms bound:
      // jumps up to 60 ms, drift up to ±15% (two clocks then part by at most 45 ms per 150 ms lease).
      scenario: {
        ...base,
        bugs: ['leaseReadIgnoresClockDrift'],
        config: { readMode: 'lease', checkQuorum: true, leaseClockBoundMicros: 60_000 },
        network: { latency: { dist: 'uniform', min: 500, max: 2_000 } },
        workload: {
          name: 'kv',
          clients: 6,
          thinkTime: '2ms',
          timeout: '200ms',
          stopAt: '13s',
          options: { keys: 1, mix: { get: 1, put: 1, append: 0, cas: 0 }, readers: ['c1', 'c2', 'c3', 'c4', 'c5'], pin: { c1: 'n1', c2: 'n2', c3: 'n3', c4: 'n4', c5: 'n5' } },
        },
      },
      faults: { ...faults, kinds: ['partition', 'clock'], clockJumpMax: '60ms', driftPpmMax: 150_000 },
      numRuns,
    },
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const args = process.argv.slice(2);
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 1000) || 1000;
  const only = args.includes('--bug') ? args[args.indexOf('--bug') + 1] : undefined;
  for (const property of bugProperties(runs)) {
    if (only && property.bug !== only) continue;
    const started = performance.now();
    const report = findCounterexample({ ...property, outDir: '.dsim/failures' });
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    if (!report.found) {
      console.log(`${property.bug}: NOT caught in ${report.runs} runs (${seconds}s)`);
      continue;
    }
    console.log(
      `${property.bug}: caught after ${report.runsToFailure} runs; ${report.originalSize.episodes} episodes shrunk to ${report.shrunkSize.episodes} (${report.shrunkSize.scheduledFaults} scheduled faults) in ${report.shrinks} shrinks; ${seconds}s\n  violation: ${report.violation.slice(0, 200)}\n${report.shrunkFaults.map(({ at, fault }) => `    at ${formatMicros(at)} ${describeFault(fault)}`).join('\n')}\n  replay: ${report.replayCommand}`,
    );
  }
}
