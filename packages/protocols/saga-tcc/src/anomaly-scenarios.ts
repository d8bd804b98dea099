import { noDirtyRead, noFuzzyRead, noLostUpdate } from './invariants.ts';
import { scriptedSites } from './scenario-kit.ts';

/**
 * The three isolation anomalies of sagas on one shared account, p2/a0 (Richardson, Microservices
 * Patterns §4.3; SPECS §7.1), each as two concurrent sagas from two clients. Constant 2 ms links:
 * both requests reach c at 2 ms and each saga step takes one 4 ms round trip, so step k of either
 * saga runs at 4(k+1) ms. Not a scenario file: the scenario files pick a pair and a countermeasure.
 */
/** The compensation rules hold in every anomaly scenario; money is not conserved (deposits come from outside). */
const RULES = ['compensation', 'idempotent-phase-two', 'empty-rollback-changes-nothing', 'no-hanging-try'] as const;

const sites = (transfers: readonly object[]) => ({
  ...scriptedSites(transfers, '1s'),
  workload: { name: 'scripted', clients: 2, timeout: '500ms', options: { transfers } },
});

/**
 * Lost update: two deposits into p2/a0 written as read-modify-write across two steps (read, then
 * set to the read value plus the deposit). Both read 100 at 4 ms; g=1 sets 110 at 8 ms, g=2 then
 * sets 120: g=1's deposit is lost.
 */
export const lostUpdate = {
  ...sites([
    {
      steps: [
        { account: 'p2/a0', delta: 0, op: 'read' },
        { account: 'p2/a0', delta: 10, op: 'set' },
      ],
    },
    {
      steps: [
        { account: 'p2/a0', delta: 0, op: 'read' },
        { account: 'p2/a0', delta: 20, op: 'set' },
      ],
    },
  ]),
  invariants: [...RULES, noLostUpdate],
};

/**
 * Dirty read: g=1 credits p2/a0 with 50 at 4 ms, then fails its second step (p3/a0 cannot pay 500)
 * and compensates the credit at 12 ms. In between, at 8 ms, g=2 reads p2/a0 = 150: a value that
 * never existed once g=1 is compensated (a credit limit raised on money that was taken back).
 */
export const dirtyRead = {
  ...sites([
    {
      steps: [
        { account: 'p2/a0', delta: 50 },
        { account: 'p3/a0', delta: -500 },
      ],
    },
    {
      steps: [
        { account: 'p1/a1', delta: -1 },
        { account: 'p2/a0', delta: 0, op: 'read' },
        { account: 'p1/a1', delta: 1 },
      ],
    },
  ]),
  invariants: [...RULES, noDirtyRead],
};

/**
 * Fuzzy read: g=1 reads p2/a0 at 4 ms and again at 16 ms (two bookkeeping steps in between); g=2
 * pays 5 into p2/a0 at 8 ms. g=1's two reads disagree.
 */
export const fuzzyRead = {
  ...sites([
    {
      steps: [
        { account: 'p2/a0', delta: 0, op: 'read' },
        { account: 'p1/a0', delta: -1 },
        { account: 'p1/a0', delta: 1 },
        { account: 'p2/a0', delta: 0, op: 'read' },
      ],
    },
    {
      steps: [
        { account: 'p3/a0', delta: -5 },
        { account: 'p2/a0', delta: 5 },
      ],
    },
  ]),
  invariants: [...RULES, noFuzzyRead],
};
