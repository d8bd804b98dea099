// Type-checked against the installed packages' .d.ts files with a default strict tsconfig.
import { defineScenario, runScenario, type RunResult } from '@dsim/core';
import { raft } from '@dsim/raft';
import { ring } from './ring.js';

const ringScenario = defineScenario({ name: 'typed-ring', protocol: ring, nodes: 3, until: '1s' });
const ringRun: RunResult = runScenario(ringScenario);
const raftRun: RunResult = runScenario({ name: 'typed-raft', protocol: raft, nodes: 3, until: '2s' });

export const hashes: ReadonlyArray<string | undefined> = [ringRun.hash, raftRun.hash];
