import { defineProtocol } from '@dsim/core';
import { bugs, type HeartbeatBug } from './bugs.ts';
import { coverage } from './coverage.ts';
import { defaults, validateConfig, type HeartbeatConfig } from './config.ts';
import { checkPeers, handleBeat, init, sendBeats } from './detector.ts';
import { invariants } from './invariants.ts';
import {
  timers,
  type HeartbeatMessage,
  type HeartbeatOp,
  type HeartbeatState,
  type HeartbeatTimer,
  type PeerStatus,
} from './state.ts';
import { view } from './view.ts';
import { workloads } from './workloads.ts';

/**
 * A heartbeat failure detector in the style of Nacos' ephemeral instances: every node beats to
 * every other node every 5 s and checks its peers every 5 s; a peer silent for more than 15 s is
 * unhealthy, for more than 30 s removed. Small enough to read in one sitting, and it exercises every
 * kernel feature: timers on local clocks, durable storage, clients, crashes, pauses and clock faults.
 */
export const heartbeat = defineProtocol<
  HeartbeatState,
  HeartbeatMessage,
  HeartbeatOp,
  PeerStatus | 'self',
  HeartbeatConfig,
  HeartbeatTimer,
  HeartbeatBug
>({
  name: 'heartbeat',
  description: 'Nacos-style heartbeat failure detector (beat 5s, unhealthy >15s, removed >30s)',
  defaults,
  timers,
  init,
  onMessage(state, from, msg, ctx) {
    if (msg.type === 'Beat') handleBeat(state, from, msg, ctx);
  },
  onTimer(state, timer, ctx) {
    if (timer === 'beat') sendBeats(state, ctx);
    else if (timer === 'check') checkPeers(state, ctx);
  },
  onRequest(state, request, ctx) {
    const peer = state.peers.find((view) => view.id === request.op.key);
    ctx.respond(request.id, { type: 'ok', value: peer ? peer.status : 'self' });
  },
  summarize: (state) => ({
    role: state.removed.length > 0 ? 'removing' : state.unhealthy.length > 0 ? 'suspecting' : 'healthy',
    incarnation: state.incarnation,
    unhealthy: summarizeIds(state.unhealthy),
    removed: summarizeIds(state.removed),
  }),
  view,
  describeMessage: (msg) => `Beat inc=${msg.incarnation}`,
  validateConfig,
  invariants,
  workloads,
  bugs,
  coverage,
});

/** Sorted ids, shortened for large clusters so a summary stays one short line. */
function summarizeIds(ids: readonly string[]): string {
  if (ids.length <= 8) return [...ids].sort().join(' ');
  return `${[...ids].sort().slice(0, 8).join(' ')} +${ids.length - 8}`;
}

export { defaults, invariants, workloads, bugs };
export type {
  HeartbeatConfig,
  HeartbeatState,
  HeartbeatMessage,
  HeartbeatOp,
  PeerStatus,
  HeartbeatTimer,
  HeartbeatBug,
};
export default heartbeat;
