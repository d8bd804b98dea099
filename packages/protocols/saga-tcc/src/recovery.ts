import type { Draft } from '@dsim/core';
import { accountsOn, loadAmounts, storeAmounts } from './accounts.ts';
import { coordinatorOf } from './config.ts';
import type { TxnContext } from './context.ts';
import { recoverSaga } from './saga-coordinator.ts';
import type {
  Branch,
  CoordinatorState,
  OutboxEntry,
  GlobalLogRecord,
  ParticipantState,
  TxnProtocolName,
  TxnState,
} from './state.ts';
import { recoverTcc } from './tcc-coordinator.ts';

/** Builds a node's state at start and after every restart, from its durable storage. */
export function initNode(ctx: TxnContext, protocol: TxnProtocolName): TxnState {
  const boot = (ctx.storage.get<number>('boot') ?? 0) + 1;
  ctx.storage.put('boot', boot);
  const state =
    ctx.self === coordinatorOf(ctx.nodes)
      ? recoverCoordinator(ctx, protocol, boot)
      : recoverParticipant(ctx, protocol, boot);
  ctx.storage.sync();
  return state;
}

function recoverCoordinator(ctx: TxnContext, protocol: TxnProtocolName, boot: number): CoordinatorState {
  const state: CoordinatorState = {
    role: 'coordinator',
    protocol,
    boot,
    nextGid: ctx.storage.get<number>('nextGid') ?? 1,
    tcc: {},
    saga: {},
    ended: [],
    committed: 0,
    aborted: 0,
    phaseTwoRetries: 0,
    compensationsRun: 0,
  };
  const draft = state as Draft<CoordinatorState>;
  for (const key of ctx.storage.keys('global/')) {
    const record = ctx.storage.get<GlobalLogRecord>(key)!;
    if (record.kind === 'tcc') recoverTcc(draft, record, ctx);
    else recoverSaga(draft, record, ctx);
  }
  return state;
}

/**
 * Balances, frozen amounts, branches and barrier rows all come back from storage: they were
 * synced together with each business change, as one local transaction. Finished TCC branches get
 * their clean-up timer again.
 */
function recoverParticipant(ctx: TxnContext, protocol: TxnProtocolName, boot: number): ParticipantState {
  const accounts = accountsOn(ctx.self, ctx.config.accountsPerParticipant);
  const balances = loadAmounts(ctx.storage, 'balances', accounts, ctx.config.initialBalance);
  const frozen = loadAmounts(ctx.storage, 'frozen', accounts, 0);
  if (!ctx.storage.has('balances')) {
    storeAmounts(ctx.storage, 'balances', balances);
    storeAmounts(ctx.storage, 'frozen', frozen);
  }
  const branches: Record<string, Branch> = {};
  for (const key of ctx.storage.keys('branch/')) {
    const name = key.slice('branch/'.length);
    const branch = ctx.storage.get<Branch>(key)!;
    branches[name] = branch;
    if (protocol === 'tcc' && branch.status !== 'tried') ctx.setTimer(`clean:${name}`, ctx.config.fenceCleanupMicros);
  }
  const outbox: Record<string, OutboxEntry> = {};
  for (const key of ctx.storage.keys('outbox/')) {
    const name = key.slice('outbox/'.length);
    outbox[name] = ctx.storage.get<OutboxEntry>(key)!;
    ctx.setTimer(`retry:${name}`, 0);
  }
  const barrier: Record<string, true> = {};
  for (const key of ctx.storage.keys('barrier/')) barrier[key.slice('barrier/'.length)] = true;
  return {
    role: 'participant',
    protocol,
    boot,
    balances,
    frozen,
    branches,
    barrier,
    semanticLocks: ctx.storage.get<Record<string, number>>('semanticLocks') ?? {},
    outbox,
    effects: [],
    emptyRollbacks: 0,
    suspendedTries: 0,
    duplicates: 0,
    fencesCleaned: 0,
  };
}
