export { paxos } from './single/index.ts';
export * from './single/invariants.ts';
export { defaults as paxosDefaults, type PaxosConfig } from './single/config.ts';
export { describeMessage as describePaxosMessage, type PaxosMessage, type Proposal } from './single/messages.ts';
export { ownValue, type ProposeOp } from './single/node.ts';
export type { PaxosState, PaxosTimer } from './single/state.ts';
export { singleDecreeBugs, multiPaxosBugs, type SingleDecreeBug, type MultiPaxosBug } from './bugs.ts';
export { compareBallots, formatBallot, type Ballot } from './ballot.ts';
export { execute, type KvOp, type KvResult } from './kv.ts';
