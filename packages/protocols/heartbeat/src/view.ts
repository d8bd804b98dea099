import type { NodeView, ViewEdge } from '@dsim/core';
import type { HeartbeatState } from './state.ts';

/**
 * A detector node as the tools draw it. Its role is about the node itself (every running detector
 * is a member); its opinions of others are edges: it suspects the peers it marked unhealthy and
 * has removed the ones silent past the removal timeout.
 */
export function view(state: HeartbeatState): NodeView {
  const edges: ViewEdge[] = [
    ...state.unhealthy.map((peer) => ({ to: peer, kind: 'suspects' })),
    ...state.removed.map((peer) => ({ to: peer, kind: 'removed' })),
  ];
  const healthy = state.peers.length - state.unhealthy.length - state.removed.length;
  return {
    role: 'member',
    badges: [{ label: 'incarnation', value: state.incarnation }],
    fields: [
      { label: 'healthy peers', value: healthy, tone: 'good' },
      { label: 'unhealthy peers', value: state.unhealthy.length, tone: state.unhealthy.length > 0 ? 'warn' : 'plain' },
      { label: 'removed peers', value: state.removed.length, tone: state.removed.length > 0 ? 'bad' : 'plain' },
    ],
    edges,
  };
}
