/**
 * Building blocks of the scripted commit scenarios (simulations/commit/): who transfers what, the
 * safety invariants, and the sites and links they share.
 */

/** One transfer that enlists all three participants (payer p1, payee p2, fee account p3). */
export const ONE_TRANSFER = [{ from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' }] as const;

/** Four transfers, each enlisting all three participants in a different role. */
export const FOUR_TRANSFERS = [
  { from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' },
  { from: 'p2/a1', to: 'p3/a1', amount: 5, fee: 1, feeTo: 'p1/a1' },
  { from: 'p3/a2', to: 'p1/a2', amount: 7, fee: 1, feeTo: 'p2/a2' },
  { from: 'p1/a0', to: 'p2/a0', amount: 20, fee: 1, feeTo: 'p3/a0' },
] as const;

/** The safety invariants every commit scenario checks. */
export const SAFETY_INVARIANTS = ['atomicity', 'validity', 'no-overdraft', 'money-conserved'] as const;

/**
 * What the scripted scenarios share: the coordinator c and participants p1-p3, constant 2 ms links
 * (so the scripted fault times land between known messages), and one client sending `transfers`
 * in order. Each scenario file adds its protocol, variant, faults and invariants.
 */
export function scriptedSites(transfers: ReadonlyArray<(typeof FOUR_TRANSFERS)[number]>) {
  return {
    nodes: ['c', 'p1', 'p2', 'p3'],
    seed: 1,
    until: '5s',
    network: { latency: '2ms', clientLatency: '2ms' },
    workload: { name: 'scripted', clients: 1, timeout: '1s', options: { transfers } },
  } as const;
}
