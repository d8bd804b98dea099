/**
 * Prints the trace hash of every shipped scenario (seeds 1-3, both state modes), of the stormy
 * determinism scenario (seeds 1-20) and, with DSIM_HASH_FAMILIES=raft/aggressive,... (or all), of
 * seed families at their default options (seeds 1-6): the evidence that a refactoring left every
 * run byte-identical. Compare two outputs with `diff`.
 *
 *   node --import ./packages/cli/bin/register-typescript.mjs test/tools/trace-hashes.ts > hashes.txt
 */
import { join, relative } from 'node:path';
import { familyOptions, runScenario, type Scenario } from '@dsim/core';
import { families, registry } from '@dsim/registry';
import { loadScenarioFiles } from '@dsim/testing';

const root = new URL('../../', import.meta.url).pathname;

function line(label: string, scenario: unknown, seed: number | undefined, mode: 'immutable' | 'mutable'): void {
  const result = runScenario(
    scenario,
    { registry, ...(seed === undefined ? {} : { seed }) },
    { trace: 'hash', stateMode: mode },
  );
  console.log(
    `${label} seed=${seed ?? 'default'} ${mode} ${result.hash} events=${result.stats.events} violations=${result.violations.length}`,
  );
}

for (const { path, scenario } of await loadScenarioFiles(join(root, 'simulations'))) {
  const name = (scenario as { name: string }).name;
  for (const mode of ['immutable', 'mutable'] as const) {
    line(`${relative(root, path)} [${name}]`, scenario, undefined, mode);
    for (const seed of [1, 2, 3]) line(`${relative(root, path)} [${name}]`, scenario, seed, mode);
  }
}

const stormy: Scenario = {
  name: 'determinism',
  protocol: 'heartbeat',
  nodes: 5,
  until: '45s',
  network: { latency: { dist: 'lognormal', median: '2ms', sigma: 0.6 }, loss: 0.02, duplicate: 0.02 },
  clocks: { n2: { offset: '-3s', driftPpm: 300 } },
  nemesis: {
    faults: 6,
    kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
    from: '2s',
    healAt: '30s',
    maxDuration: '8s',
  },
  workload: { name: 'probe', clients: 3, thinkTime: '300ms', timeout: '200ms' },
  stopOnViolation: false,
};
for (let seed = 1; seed <= 20; seed++) line('stormy', stormy, seed, seed % 2 === 0 ? 'immutable' : 'mutable');

const familyNames = process.env.DSIM_HASH_FAMILIES;
if (familyNames !== undefined) {
  // Seed families by registry name ('raft/aggressive'), or 'all', at their default options.
  const names = familyNames === 'all' ? Object.keys(families) : familyNames.split(',');
  for (const name of names) {
    const family = families[name];
    if (!family) throw new Error(`DSIM_HASH_FAMILIES: no family '${name}'; known: ${Object.keys(families).join(', ')}`);
    for (let seed = 1; seed <= 6; seed++)
      line(`family ${name}`, family.scenario(seed, familyOptions(family)), seed, 'mutable');
  }
}
