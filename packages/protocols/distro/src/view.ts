import type { NodeId, NodeView, ViewEdge } from '@dsim/core';
import { isResponsible } from './mapper.ts';
import type { DistroState } from './state.ts';

/**
 * A Distro server as the tools draw it: ready or loading; the clients it is responsible for by its
 * own healthy list; instance counts and health; verify activity; its view of the members; and
 * edges to the members that pushed changes to it (sync traffic) and to members it sees as down.
 */
export function view(state: DistroState, node: NodeId): NodeView {
  const ids = Object.keys(state.clients);
  let owned = 0;
  let healthy = 0;
  let persistent = 0;
  for (const id of ids) {
    const copy = state.clients[id]!;
    if (isResponsible(id, state.healthyList, node)) owned += 1;
    if (copy.instance.healthy) healthy += 1;
    if (!copy.instance.ephemeral) persistent += 1;
  }
  const pending = Object.keys(state.tasks).length + Object.keys(state.inflight).length;
  const edges: ViewEdge[] = [
    ...Object.entries(state.stats.pushesFrom)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([from, count]) => ({ to: from, kind: 'synced-from', label: `${count} pushes` })),
    ...state.members
      .filter((member) => member.state !== 'UP')
      .map((member) => ({
        to: member.id,
        kind: member.state === 'DOWN' ? 'sees-down' : 'suspects',
      })),
  ];
  return {
    role: state.ready ? 'serving' : 'loading',
    badges: [
      { label: 'responsible', value: owned },
      { label: 'instances', value: ids.length },
      {
        label: 'healthy list',
        value: state.healthyList.length,
        tone: state.healthyList.length <= state.members.length ? 'warn' : 'plain',
      },
    ],
    fields: [
      { label: 'incarnation', value: state.incarnation },
      { label: 'loaded from', value: state.loadedFrom },
      { label: 'healthy instances', value: healthy, tone: 'good' },
      { label: 'unhealthy instances', value: ids.length - healthy, tone: ids.length > healthy ? 'warn' : 'plain' },
      { label: 'persistent instances', value: persistent },
      { label: 'pending pushes', value: pending, tone: pending > 0 ? 'warn' : 'plain' },
      { label: 'push retries', value: state.stats.pushRetries },
      { label: 'verify rounds', value: state.stats.verifyRounds },
      {
        label: 'verify repairs',
        value: state.stats.verifyRepairs,
        tone: state.stats.verifyRepairs > 0 ? 'warn' : 'plain',
      },
      { label: 'rehashes', value: state.stats.rehashes },
      { label: 'expiries', value: state.stats.expiries },
    ],
    tables: [
      {
        name: 'members',
        columns: ['member', 'state', 'failed reports'],
        rows: state.members.map((member) => [member.id, member.state, member.failAccessCount]),
      },
    ],
    edges,
  };
}
