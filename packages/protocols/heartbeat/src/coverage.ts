import type { ProtocolCoverage } from '@dsim/core';
import type { HeartbeatState } from './state.ts';

/**
 * What a heartbeat sweep should reach: a peer suspected (silent for more than 15 s) and removed
 * (more than 30 s), and a restarted peer recognised by its higher incarnation.
 */
export const coverage: ProtocolCoverage<HeartbeatState> = {
  roles: ['healthy', 'suspecting', 'removing'],
  messages: ['Beat'],
  states: {
    seesRestartedPeer: (state) => state.peers.some((peer) => peer.incarnation > 1),
  },
};
