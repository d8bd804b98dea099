import { always, defineMemory, eventually, failure, sometimes, type Invariant, type WorldView } from '@dsim/core';
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
    // Checked after every step of clusters of a thousand nodes: only crashed nodes past the bound
    // cost anything, so the common case (nobody down that long) is one pass over the nodes.
    if (world.crashed.length === 0) return true;
    const overdue: Array<{ node: string; downSince: number; slot: number }> = [];
    for (const node of world.crashed) {
      const downSince = world.downSince(node)!;
      if (world.time - downSince > bound) overdue.push({ node, downSince, slot: world.nodes.indexOf(node) });
    }
    if (overdue.length === 0) return true;
    for (const [observerSlot, observer] of world.nodes.entries()) {
      const state = world.state(observer);
      const upSince = world.upSince(observer);
      if (!state || upSince === undefined || world.isPaused(observer)) continue;
      for (const { node: crashed, downSince, slot } of overdue) {
        if (upSince > downSince) continue;
        // Peers are the nodes without the observer, in node order.
        const view = state.peers[slot < observerSlot ? slot : slot - 1];
        if (view?.id === crashed && view.status === 'healthy') {
          return failure(
            `${observer} still thinks ${crashed} is healthy ${((world.time - downSince) / 1e6).toFixed(1)}s after it crashed (bound ${(bound / 1e6).toFixed(1)}s)`,
            [observer, crashed],
          );
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
      if (!state) return failure(`${observer} is down`, [observer]);
      const unhealthy = state.unhealthy[0];
      if (unhealthy !== undefined) return failure(`${observer} sees ${unhealthy} as unhealthy`, [observer, unhealthy]);
      const removed = state.removed[0];
      if (removed !== undefined) return failure(`${observer} sees ${removed} as removed`, [observer, removed]);
    }
    return true;
  },
  {
    withinMicros: 40_000_000,
    stable: true,
    description:
      'Once the faults are over, every node sees every other node as healthy 40 s later (and not just for an instant).',
  },
);

/** Whether `observer` suspects (unhealthy or removed) a node that is running and not paused. */
export function suspectsRunningPeer(world: World, observer: string): boolean {
  const state = world.state(observer);
  if (!state) return false;
  for (const peer of state.unhealthy) if (world.isUp(peer) && !world.isPaused(peer)) return true;
  for (const peer of state.removed) if (world.isUp(peer) && !world.isPaused(peer)) return true;
  return false;
}

/**
 * Whether a false suspicion was seen. A `sometimes` check is asked after every step until it holds,
 * and a run without a false suspicion would ask it of every node after every step: O(nodes) a step
 * in clusters of a thousand. After one node's step only that node's suspicions can have changed
 * (whether a peer is up or paused changes only with a fault), so the memory looks at the stepped
 * node alone, and at every node after anything else.
 */
const suspicionSeen = defineMemory<HeartbeatState, { seen: boolean }>({
  name: 'heartbeat-false-suspicion',
  create: () => ({ seen: false }),
  observe(memory, world, change) {
    if (memory.seen) return;
    memory.seen =
      change.node !== undefined
        ? suspectsRunningPeer(world, change.node)
        : world.nodes.some((observer) => suspectsRunningPeer(world, observer));
  },
});

/** Proof that a scenario produced a false suspicion: a running, unpaused node suspected by someone. */
export const falseSuspicion = sometimes<HeartbeatState, { seen: boolean }>(
  'false-suspicion',
  (_world, memory) => memory.seen,
  {
    description: 'Some observer suspects a node that is running: the price of timeouts under pauses and clock faults.',
    memory: suspicionSeen,
  },
);

export const invariants: Invariant<HeartbeatState>[] = [detectsCrashInTime, allHealthyAfterHeal, falseSuspicion];
