// Plain Node ESM, no TypeScript anywhere: the installed packages' compiled JavaScript.
import { runScenario } from '@dsim/core';
import { raft } from '@dsim/raft';

const scenario = { name: 'plain', protocol: raft, nodes: 3, seed: 11, until: '3s', workload: { name: 'kv' } };
const first = runScenario(scenario);
const second = runScenario(scenario);
if (first.hash !== second.hash) throw new Error(`two runs of one seed differ: ${first.hash} vs ${second.hash}`);
if (first.violations.length > 0) throw new Error(`raft violated ${first.violations[0].invariant}`);
console.log(`plain ESM: raft ran to ${first.endTime}µs, ${first.stats.events} events, hash ${first.hash}`);
