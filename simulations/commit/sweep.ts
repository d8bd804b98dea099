/**
 * Seed sweep for 2PC/3PC under generated fault schedules (the scenario's nemesis, from each seed).
 *
 *   npx tsx simulations/commit/sweep.ts --protocol 2pc --seeds 10000
 *   npx tsx simulations/commit/sweep.ts --protocol 3pc --variant skeen --kinds crash --seeds 2000
 *   npx tsx simulations/commit/sweep.ts --protocol 2pc --bug participantCommitsOnTimeout --seeds 500
 *   npx tsx simulations/commit/sweep.ts --protocol 2pc --seeds 10000 --shard 1/2   (run shards in parallel, one per core)
 *
 * Prints violations with the command that replays each, blocked time per participant (global
 * time, measured by a probe at every step), transaction outcomes and throughput; the last line is JSON.
 */
import { resolveScenario, Simulation, type NemesisKind } from '@dsim/core';
import { blockedTimeProbe, transactionOutcomes } from '@dsim/commit';
import { registry } from '@dsim/registry';
import { ALL_KINDS, commitSweepScenario } from './base.ts';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const protocol = (args.get('protocol') ?? '2pc') as '2pc' | '3pc';
const variant = args.get('variant') as 'skeen' | 'simplified' | undefined;
const kinds = (args.get('kinds')?.split(',') ?? ALL_KINDS) as NemesisKind[];
const seeds = Number(args.get('seeds') ?? 1000);
const start = Number(args.get('start') ?? 1);
const faults = Number(args.get('faults') ?? 5);
const bugs = args.get('bug')?.split(',') ?? [];
const [shardIndex, shardCount] = (args.get('shard') ?? '1/1').split('/').map(Number) as [number, number];
const stopAtFirst = args.get('stop') === 'first';

const base = commitSweepScenario({ protocol, ...(variant ? { variant } : {}), kinds, faults, bugs });
const started = process.hrtime.bigint();
let runs = 0;
let violations = 0;
let events = 0;
let blockedRuns = 0;
let blockedTotalMicros = 0;
let blockedMaxMicros = 0;
const outcomes = { invoked: 0, committed: 0, aborted: 0, unknown: 0 };
const failures: Array<{ seed: number; invariant: string; message: string }> = [];
const byInvariant = new Map<string, number>();

for (let seed = start; seed < start + seeds; seed++) {
  if ((seed - start) % shardCount !== shardIndex - 1) continue;
  const probe = blockedTimeProbe();
  const resolved = resolveScenario(
    { ...base, seed, invariants: [...(base.invariants ?? []), probe.invariant] },
    { registry },
  );
  const result = new Simulation(resolved, { trace: 'off', stateMode: 'mutable' }).run();
  runs++;
  events += result.stats.events;
  const counts = transactionOutcomes(result);
  for (const key of Object.keys(outcomes) as Array<keyof typeof outcomes>) outcomes[key] += counts[key];
  let runBlocked = 0;
  for (const micros of probe.read().values()) {
    runBlocked += micros;
    blockedMaxMicros = Math.max(blockedMaxMicros, micros);
  }
  if (runBlocked > 0) blockedRuns++;
  blockedTotalMicros += runBlocked;
  if (result.violations.length > 0 || result.error) {
    violations++;
    const violation = result.violations[0];
    const invariant = violation?.invariant ?? 'error';
    byInvariant.set(invariant, (byInvariant.get(invariant) ?? 0) + 1);
    failures.push({ seed, invariant, message: violation?.message ?? result.error ?? '' });
    if (stopAtFirst) break;
  }
  if (runs % 500 === 0) process.stderr.write(`  ${runs} runs, ${violations} violations\n`);
}

const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const label = `${base.name} seeds ${start}..${start + seeds - 1}${shardCount > 1 ? ` shard ${shardIndex}/${shardCount}` : ''}`;
console.log(`${label}`);
console.log(
  `  runs ${runs}, violations ${violations} ${[...byInvariant].map(([name, count]) => `${name}=${count}`).join(' ')}`,
);
for (const failure of failures.slice(0, 10)) {
  console.log(`  seed ${failure.seed}: ${failure.invariant}: ${failure.message}`);
  console.log(
    `    replay: npx tsx simulations/commit/sweep.ts --protocol ${protocol}${variant ? ` --variant ${variant}` : ''} --kinds ${kinds.join(',')} --faults ${faults}${bugs.length ? ` --bug ${bugs.join(',')}` : ''} --start ${failure.seed} --seeds 1`,
  );
}
console.log(
  `  transfers: ${outcomes.invoked} invoked, ${outcomes.committed} committed, ${outcomes.aborted} aborted, ${outcomes.unknown} unknown`,
);
console.log(
  `  blocking: ${blockedRuns}/${runs} runs had a blocked participant; mean ${(blockedTotalMicros / Math.max(1, runs) / 1000).toFixed(1)}ms blocked per run (all participants), longest per participant per run ${(blockedMaxMicros / 1000).toFixed(1)}ms`,
);
console.log(
  `  ${(runs / seconds).toFixed(1)} runs/s, ${(events / seconds / 1000).toFixed(0)}k events/s, ${seconds.toFixed(1)}s`,
);
console.log(
  JSON.stringify({
    label,
    runs,
    violations,
    byInvariant: Object.fromEntries(byInvariant),
    failures: failures.slice(0, 50),
    outcomes,
    blockedRuns,
    blockedTotalMicros,
    blockedMaxMicros,
    seconds,
  }),
);
