export { paxos } from './single/index.ts';
export * from './single/invariants.ts';
export { defaults as paxosDefaults, type PaxosConfig } from './single/config.ts';
export { describeMessage as describePaxosMessage, type PaxosMessage, type Proposal } from './single/messages.ts';
export { ownValue, type ProposeOp } from './single/node.ts';
export type { PaxosState, PaxosTimer } from './single/state.ts';
export { singleDecreeBugs, multiPaxosBugs, type SingleDecreeBug, type MultiPaxosBug } from './bugs.ts';
export { compareBallots, formatBallot, type Ballot } from './ballot.ts';
export type { KvOp, KvResult } from '@dsim/services';
export { multiPaxos } from './multi/index.ts';
export {
  agreement as multiAgreement,
  validity as multiValidity,
  integrity as multiIntegrity,
  promiseKept as multiPromiseKept,
  linearizableKv,
  progressAfterHeal,
  slotRecovered,
  noopFilled,
  nackReceived as multiNackReceived,
  competingLeaders,
  invariants as multiPaxosInvariants,
  reachInvariants as multiPaxosReachInvariants,
} from './multi/invariants.ts';
export { defaults as multiPaxosDefaults, type MultiPaxosConfig } from './multi/config.ts';
export type { MultiPaxosMessage, Command, SlotProposal } from './multi/messages.ts';
export type { MultiPaxosState, MultiPaxosTimer } from './multi/state.ts';
export {
  families,
  singleDecreeScenario,
  multiPaxosScenario,
  ALL_FAULT_KINDS,
  type PaxosScenarioOptions,
} from './families.ts';
export * from './hunts.ts';
