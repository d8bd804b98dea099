import type { AnyProtocol, ProtocolRegistry } from '@dsim/core';
import { threePhaseCommit, twoPhaseCommit } from '@dsim/commit';
import { heartbeat } from '@dsim/heartbeat';
import { multiPaxos, paxos } from '@dsim/paxos';
import { pingpong } from '@dsim/pingpong';
import { raft } from '@dsim/raft';

/**
 * Every protocol dsim ships, by the name a scenario uses. Browser-safe: the visualizer's worker
 * imports it too, so a scenario resolves to the same code in Node and in the browser.
 */
export const registry: ProtocolRegistry = {
  '2pc': twoPhaseCommit as AnyProtocol,
  '3pc': threePhaseCommit as AnyProtocol,
  heartbeat: heartbeat as AnyProtocol,
  multipaxos: multiPaxos as AnyProtocol,
  paxos: paxos as AnyProtocol,
  pingpong: pingpong as AnyProtocol,
  raft: raft as AnyProtocol,
};

export default registry;
