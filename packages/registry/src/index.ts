import type { AnyProtocol, ProtocolRegistry, SeedFamily } from '@dsim/core';
import { families as commitFamilies, threePhaseCommit, twoPhaseCommit } from '@dsim/commit';
import { distro, families as distroFamilies } from '@dsim/distro';
import { heartbeat } from '@dsim/heartbeat';
import { families as kafkaFamilies, kafka } from '@dsim/kafka';
import { families as paxosFamilies, multiPaxos, paxos } from '@dsim/paxos';
import { pingpong } from '@dsim/pingpong';
import { families as raftFamilies, raft } from '@dsim/raft';
import { sagaFamilies, sagaProtocol, families as tccFamilies, tccProtocol } from '@dsim/saga-tcc';

/**
 * Every protocol dsim ships, by the name a scenario uses. Browser-safe: the visualizer's worker
 * imports it too, so a scenario resolves to the same code in Node and in the browser.
 */
export const registry: ProtocolRegistry = {
  '2pc': twoPhaseCommit as AnyProtocol,
  '3pc': threePhaseCommit as AnyProtocol,
  distro: distro as AnyProtocol,
  heartbeat: heartbeat as AnyProtocol,
  kafka: kafka as AnyProtocol,
  multipaxos: multiPaxos as AnyProtocol,
  paxos: paxos as AnyProtocol,
  pingpong: pingpong as AnyProtocol,
  raft: raft as AnyProtocol,
  saga: sagaProtocol as AnyProtocol,
  tcc: tccProtocol as AnyProtocol,
};

/** Every seed family dsim ships, as `<package>/<family>` ('raft/aggressive'), for `dsim sweep --family`. */
export const families: Readonly<Record<string, SeedFamily>> = {
  ...prefixed('raft', raftFamilies),
  ...prefixed('commit', commitFamilies),
  ...prefixed('kafka', kafkaFamilies),
  ...prefixed('tcc', tccFamilies),
  ...prefixed('saga', sagaFamilies),
  ...prefixed('paxos', paxosFamilies),
  ...prefixed('distro', distroFamilies),
};

function prefixed(prefix: string, record: Readonly<Record<string, SeedFamily>>): Record<string, SeedFamily> {
  return Object.fromEntries(Object.entries(record).map(([name, family]) => [`${prefix}/${name}`, family]));
}

export default registry;
