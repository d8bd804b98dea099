/**
 * Duelling proposers with and without randomized back-off (SPECS.md §4.2): three nodes, all three
 * propose at the same instant (no jitter), uniform 1-5 ms links, a 2 ms back-off after a NACK or a
 * 50 ms phase timeout. Per seed: when the last node learned the value, and how many rounds (Prepare
 * broadcasts) and NACKs it took. Prints the median and p99 over the seeds for each setting.
 *
 *   npx tsx --conditions=@dsim/source experiments/paxos-dueling.ts [--seeds 500]
 */
import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';

const args = process.argv.slice(2);
const seedsArg = args.indexOf('--seeds');
const seeds = seedsArg >= 0 ? Number(args[seedsArg + 1]) : 500;

function scenario(seed: number, randomizedBackoff: boolean): Scenario {
  return {
    name: 'paxos-duel',
    protocol: 'paxos',
    nodes: 3,
    seed,
    until: '5s',
    config: {
      proposers: 3,
      proposeJitterMicros: 0,
      randomizedBackoff,
      backoffMicros: 2_000,
      phaseTimeoutMicros: 50_000,
    },
    network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 } },
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

console.log(`3 proposers starting together, ${seeds} seeds: median / p99 / max\n`);
console.log('| back-off | all learned (ms) | rounds | NACKs | runs without a value |');
console.log('| --- | --- | --- | --- | --- |');
for (const randomized of [false, true]) {
  const learnedAt: number[] = [];
  const rounds: number[] = [];
  const nacks: number[] = [];
  let unlearned = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const result = runScenario(scenario(seed, randomized), { registry }, { trace: 'memory', stateMode: 'mutable' });
    if (result.violations.length > 0) unlearned++;
    let last = 0;
    let prepares = 0;
    let nackCount = 0;
    for (const line of result.trace) {
      if (line.includes('"k":"send"') && line.includes('"desc":"Prepare')) prepares++;
      if (line.includes('"k":"send"') && line.includes('"desc":"Nack')) nackCount++;
      if (line.includes('"k":"state"') && line.includes('"role":"learned"')) last = Math.max(last, JSON.parse(line).t);
    }
    learnedAt.push(last / 1000);
    rounds.push(prepares / 2);
    nacks.push(nackCount);
  }
  const cell = (values: number[], digits: number) =>
    `${percentile(values, 50).toFixed(digits)} / ${percentile(values, 99).toFixed(digits)} / ${Math.max(...values).toFixed(digits)}`;
  console.log(
    `| ${randomized ? 'randomized' : 'fixed 2 ms'} | ${cell(learnedAt, 1)} | ${cell(rounds, 0)} | ${cell(nacks, 0)} | ${unlearned} |`,
  );
}
