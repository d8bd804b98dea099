export { describeKvOp, executeKv, malformedKvOp, readKey, type KvOp, type KvResult } from './kv/operations.ts';
export { kvClients, kvWriters } from './kv/clients.ts';
export { accountName, accountsOn, coordinatorOf, ownerOf, participantsOf } from './bank/accounts.ts';
export { randomTransfers, scriptedTransfers, type Transfer, type TransferOp } from './bank/transfers.ts';
export { loadAmounts, storeAmounts } from './bank/ledger.ts';
