/**
 * What the scripted TCC and Saga scenarios share: the coordinator c and participants p1–p3,
 * constant 2 ms links (so scripted fault times land between known messages: a client request
 * reaches c at 2 ms, the Tries or first step leave at once), and one client sending `transfers`
 * in order. Not a scenario file itself.
 */
export function scriptedSites(transfers: readonly object[], until = '3s') {
  return {
    nodes: ['c', 'p1', 'p2', 'p3'],
    seed: 1,
    until,
    network: { latency: '2ms', clientLatency: '2ms' },
    workload: { name: 'scripted', clients: 1, timeout: '1s', options: { transfers } },
  } as const;
}

/** One transfer enlisting all three participants: p1 pays 10 and a fee of 1, p2 receives 10, p3 the fee. */
export const ONE_TRANSFER = { from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' } as const;
/** A second transfer, for after the fault. */
export const SECOND_TRANSFER = { from: 'p2/a1', to: 'p3/a1', amount: 5, fee: 1, feeTo: 'p1/a1' } as const;

export const TCC_SAFETY = [
  'compensation',
  'idempotent-phase-two',
  'empty-rollback-changes-nothing',
  'no-hanging-try',
  'no-overdraft',
  'money-conserved',
  'semantic-atomicity',
] as const;
export const SAGA_SAFETY = [
  'compensation',
  'idempotent-phase-two',
  'empty-rollback-changes-nothing',
  'no-hanging-try',
  'money-conserved',
  'semantic-atomicity',
] as const;
