import type { LogView, NodeId, NodeSummary, NodeView, ViewEdge } from '@dsim/core';
import type { PartitionState } from './messages.ts';
import type { BrokerState, ControllerState, KafkaState, Replica } from './state.ts';

/**
 * What the visualizer draws (KAFKA.md §7): per replica its log, entries coloured by leader epoch,
 * with LEO, HW, flushed and (on a leader) LESO marks; the ISR; and on the controller the
 * `kafka-topics --describe` table.
 */
export function describeRows(partitions: readonly PartitionState[]): Array<Array<string | number>> {
  return partitions.map((p) => [
    't',
    p.partition,
    p.leader ?? 'none',
    p.replicas.join(','),
    p.isr.join(','),
    p.elr.join(','),
    p.leaderEpoch,
  ]);
}

function replicaLog(replica: Replica): LogView {
  const marks: Record<string, number> = { hw: replica.hw, leo: replica.log.length, flushed: replica.flushed };
  if (replica.role === 'leader') marks['leso'] = replica.leso;
  return {
    name: `t-${replica.partition}`,
    start: 0,
    entries: replica.log.map((entry, offset) => ({
      label: entry.id,
      term: entry.epoch,
      ...(offset >= replica.hw ? { marks: ['uncommitted'] } : {}),
    })),
    marks,
  };
}

function brokerView(state: BrokerState): NodeView {
  const replicas = Object.values(state.replicas);
  const leads = replicas.filter((r) => r.role === 'leader');
  const edges: ViewEdge[] = [];
  for (const replica of replicas)
    if (replica.role === 'follower' && replica.meta?.leader)
      edges.push({ to: replica.meta.leader, kind: 'follows', label: `t-${replica.partition}` });
  return {
    role: leads.length > 0 ? 'leader' : replicas.some((r) => r.role === 'follower') ? 'follower' : 'offline',
    badges: [
      { label: 'broker epoch', value: state.brokerEpoch },
      ...replicas.map((r) => ({
        label: `t-${r.partition}`,
        value: `${r.role} e${r.leaderEpoch}`,
        tone: r.role === 'offline' ? ('warn' as const) : ('plain' as const),
      })),
    ],
    logs: replicas.map(replicaLog),
    fields: replicas.flatMap((r) => [
      { label: `t-${r.partition} ISR`, value: r.meta?.isr.join(',') ?? '?' },
      { label: `t-${r.partition} epoch cache`, value: r.epochCache.map(([e, s]) => `${e}:${s}`).join(' ') },
      ...(r.pendingIsr
        ? [{ label: `t-${r.partition} proposed ISR`, value: r.pendingIsr.join(','), tone: 'warn' as const }]
        : []),
    ]),
    tables: leads.map((r) => ({
      name: `t-${r.partition} followers`,
      columns: ['Follower', 'LEO', 'Last caught up (µs)', 'In ISR'],
      rows: Object.entries(r.followers).map(([node, f]) => [
        node,
        f.leo,
        f.lastCaughtUpTime < 0 ? 'never' : f.lastCaughtUpTime,
        r.meta?.isr.includes(node) ?? false,
      ]),
    })),
    edges,
  };
}

function controllerView(state: ControllerState): NodeView {
  return {
    role: 'controller',
    badges: [
      { label: 'controller epoch', value: state.controllerEpoch },
      {
        label: 'offline',
        value: state.partitions.filter((p) => p.leader === null).length,
        tone: state.partitions.some((p) => p.leader === null) ? 'bad' : 'good',
      },
    ],
    fields: [
      {
        label: 'UncleanLeaderElections',
        value: state.uncleanElections,
        tone: state.uncleanElections > 0 ? 'bad' : 'plain',
      },
      { label: 'elections', value: state.elections },
      ...Object.entries(state.brokers).map(([id, b]) => ({
        label: id,
        value: b.fenced ? 'fenced' : b.registered ? `epoch ${b.brokerEpoch}` : 'unregistered',
        tone: b.fenced ? ('bad' as const) : ('plain' as const),
      })),
    ],
    tables: [
      {
        name: 'kafka-topics --describe',
        columns: ['Topic', 'Partition', 'Leader', 'Replicas', 'Isr', 'Elr', 'LeaderEpoch'],
        rows: describeRows(state.partitions),
      },
    ],
    edges: state.partitions
      .filter((p) => p.leader !== null)
      .map((p) => ({ to: p.leader as NodeId, kind: 'leads', label: `t-${p.partition}` })),
  };
}

export function view(state: KafkaState): NodeView {
  switch (state.kind) {
    case 'broker':
      return brokerView(state);
    case 'controller':
      return controllerView(state);
    case 'producer':
      return {
        role: 'producer',
        badges: [{ label: 'pid', value: state.pid }],
        fields: [
          { label: 'acked', value: state.acked.length, tone: 'good' },
          { label: 'failed', value: state.failed.length, tone: state.failed.length > 0 ? 'warn' : 'plain' },
          { label: 'pending', value: state.queue.length },
          { label: 'sent without ack (acks=0)', value: state.sentUnacknowledged.length },
          ...Object.entries(state.errors).map(([error, count]) => ({ label: error, value: count })),
        ],
      };
    case 'consumer':
      return {
        role: 'consumer',
        fields: [
          { label: 'read', value: state.reads.length },
          ...Object.entries(state.positions).map(([p, position]) => ({ label: `t-${p} position`, value: position })),
        ],
      };
  }
}

export function summarize(state: KafkaState): NodeSummary {
  switch (state.kind) {
    case 'broker': {
      const replicas = Object.values(state.replicas);
      return {
        role: replicas.some((r) => r.role === 'leader')
          ? 'leader'
          : replicas.some((r) => r.role === 'follower')
            ? 'follower'
            : 'offline',
        replicas: replicas
          .map((r) => `t-${r.partition}:${r.role[0]}e${r.leaderEpoch}:leo${r.log.length}:hw${r.hw}`)
          .join(' '),
        isrShrinks: replicas.reduce((n, r) => n + r.isrShrinks, 0),
        isrExpands: replicas.reduce((n, r) => n + r.isrExpands, 0),
        notEnoughReplicas: replicas.reduce((n, r) => n + r.notEnoughReplicas, 0),
        truncated: replicas.reduce((n, r) => n + r.truncatedEntries, 0),
      };
    }
    case 'controller':
      return {
        role: 'controller',
        describe: describeRows(state.partitions)
          .map(([, p, leader, , isr, elr, epoch]) => `t-${p}:${leader}:[${isr}]:[${elr}]:e${epoch}`)
          .join(' '),
        uncleanElections: state.uncleanElections,
      };
    case 'producer':
      return {
        role: 'producer',
        acked: state.acked.length,
        failed: state.failed.length,
        pending: state.queue.length,
        sentUnacknowledged: state.sentUnacknowledged.length,
      };
    case 'consumer':
      return { role: 'consumer', read: state.reads.length };
  }
}
