import type { NodeId, NodeView, ViewEdge } from '@dsim/core';
import { clientCount } from './copies.ts';
import type { DistroState } from './state.ts';

/**
 * A Distro server as the tools draw it: ready or loading; the clients it is responsible for by its
 * own healthy list; instance counts and health; verify activity; its view of the members; and
 * edges to the members that pushed changes to it (sync traffic) and to members it sees as down.
 */
export function view(state: DistroState, _node: NodeId): NodeView {
  // Counts kept as copies change (copies.ts), held equal to a scan (tallyOf) by a test: the view
  // is drawn after every step, and a scan re-hashing every client there would cost more than the step.
  const { responsible: owned, healthy, persistent } = state.tally;
  const instances = clientCount(state);
  const pending = Object.keys(state.tasks).length + Object.keys(state.inflight).length;
  const edges: ViewEdge[] = [];
  const pushesFrom = state.stats.pushesFrom;
  for (const from of Object.keys(pushesFrom).sort())
    edges.push({ to: from, kind: 'synced-from', label: `${pushesFrom[from]!} pushes` });
  for (const member of state.members)
    if (member.state !== 'UP') edges.push({ to: member.id, kind: member.state === 'DOWN' ? 'sees-down' : 'suspects' });
  return {
    role: state.ready ? 'serving' : 'loading',
    badges: [
      { label: 'responsible', value: owned },
      { label: 'instances', value: instances },
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
      { label: 'unhealthy instances', value: instances - healthy, tone: instances > healthy ? 'warn' : 'plain' },
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
