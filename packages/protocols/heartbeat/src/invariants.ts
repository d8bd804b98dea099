import { always, eventually, sometimes, type Invariant, type WorldView } from '@dsim/core';
import type { HeartbeatConfig } from './config.ts';
import type { HeartbeatState } from './state.ts';

type World = WorldView<HeartbeatState>;

/**
 * Completeness with a deadline: a crashed peer is seen as unhealthy by every running observer
 * within unhealthyAfter + checkInterval + slack of the crash, provided the observer was running
 * the whole time. A slow observer clock stretches that time, so a drift fault can break it: the
 * invariant measures in global time, as an operator would.
 */
export const detectsCrashInTime = always<HeartbeatState>(
  'detects-crash-in-time',
  (world: World) => {
    const config = world.config as HeartbeatConfig;
    const bound = config.unhealthyAfterMicros + config.checkIntervalMicros + config.detectionSlackMicros;
    for (const crashed of world.nodes) {
      const downSince = world.downSince(crashed);
      if (downSince === undefined || world.time - downSince <= bound) continue;
      for (const observer of world.nodes) {
        const state = world.state(observer);
        const upSince = world.upSince(observer);
        if (!state || upSince === undefined || upSince > downSince || world.isPaused(observer)) continue;
        const view = state.peers.find((peer) => peer.id === crashed);
        if (view?.status === 'healthy') {
          return `${observer} still thinks ${crashed} is healthy ${((world.time - downSince) / 1e6).toFixed(1)}s after it crashed (bound ${(bound / 1e6).toFixed(1)}s)`;
        }
      }
    }
    return true;
  },
  'Every running observer suspects a crashed peer within the detection bound.',
);

/** Eventual strong accuracy: once the faults are over, every node sees every other node as healthy. */
export const allHealthyAfterHeal = eventually<HeartbeatState>(
  'all-healthy-after-heal',
  (world: World) => {
    for (const observer of world.nodes) {
      const state = world.state(observer);
      if (!state) return `${observer} is down`;
      const suspect = state.peers.find((peer) => peer.status !== 'healthy');
      if (suspect) return `${observer} sees ${suspect.id} as ${suspect.status}`;
    }
    return true;
  },
  { withinMicros: 40_000_000, stable: true, description: 'Once the faults are over, every node sees every other node as healthy 40 s later (and not just for an instant).' },
);

/** Proof that a scenario produced a false suspicion: a running, unpaused node suspected by someone. */
export const falseSuspicion = sometimes<HeartbeatState>(
  'false-suspicion',
  (world: World) =>
    world.nodes.some((observer) =>
      world.state(observer)?.peers.some((peer) => peer.status !== 'healthy' && world.isUp(peer.id) && !world.isPaused(peer.id)),
    ) ?? false,
  'Some observer suspects a node that is running: the price of timeouts under pauses and clock faults.',
);

export const invariants: Invariant<HeartbeatState>[] = [detectsCrashInTime, allHealthyAfterHeal, falseSuspicion];
