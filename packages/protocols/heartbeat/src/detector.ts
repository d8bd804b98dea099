import type { Draft, NodeContext } from '@dsim/core';
import type { HeartbeatConfig } from './config.ts';
import type { HeartbeatBug } from './bugs.ts';
import type { HeartbeatMessage, HeartbeatState, HeartbeatTimer, PeerStatus } from './state.ts';

export type Ctx = NodeContext<HeartbeatMessage, PeerStatus | 'self', HeartbeatConfig, HeartbeatTimer, HeartbeatBug>;

export function init(ctx: Ctx): HeartbeatState {
  const config = ctx.config;
  // The incarnation must be durable before the first beat carries it: otherwise a crash right
  // after start could reuse it, and peers could not tell the restart apart.
  const incarnation = (ctx.storage.get<number>('incarnation') ?? 0) + 1;
  ctx.storage.put('incarnation', incarnation);
  ctx.storage.sync();
  const now = ctx.now();
  // Start every peer healthy with a full grace period, as Nacos does for a freshly registered instance.
  const peers = ctx.peers.map((id) => ({ id, lastBeatLocal: now, incarnation: 0, status: 'healthy' as PeerStatus }));
  if (!ctx.bugs.has('beatTimerNotRearmedOnRestart') || incarnation === 1) ctx.setTimer('beat', 0);
  ctx.setTimer('check', config.checkIntervalMicros);
  return { incarnation, peers, unhealthy: [], removed: [] };
}

/** A peer's slot in `state.peers`: peers are the nodes without self, in node order. */
function peerSlot(ctx: Ctx, peer: string): number {
  const index = ctx.indexOf(peer);
  const self = ctx.indexOf(ctx.self);
  return index < self ? index : index - 1;
}

function setStatus(
  state: Draft<HeartbeatState>,
  peer: Draft<HeartbeatState>['peers'][number],
  status: PeerStatus,
): void {
  if (peer.status === 'unhealthy') state.unhealthy.splice(state.unhealthy.indexOf(peer.id), 1);
  if (peer.status === 'removed') state.removed.splice(state.removed.indexOf(peer.id), 1);
  if (status === 'unhealthy') state.unhealthy.push(peer.id);
  if (status === 'removed') state.removed.push(peer.id);
  peer.status = status;
}

export function sendBeats(state: Draft<HeartbeatState>, ctx: Ctx): void {
  const config = ctx.config;
  ctx.broadcast({ type: 'Beat', incarnation: state.incarnation, sentAtLocal: ctx.now() });
  ctx.setTimer('beat', config.beatIntervalMicros);
}

export function handleBeat(state: Draft<HeartbeatState>, from: string, beat: HeartbeatMessage, ctx: Ctx): void {
  const peer = state.peers[peerSlot(ctx, from)];
  if (!peer || peer.id !== from) return;
  if (beat.incarnation < peer.incarnation) return; // a beat from before the peer's restart, delayed in the network
  if (beat.incarnation > peer.incarnation && peer.incarnation > 0)
    ctx.annotate(`${from} restarted (incarnation ${beat.incarnation})`);
  peer.incarnation = beat.incarnation;
  // The bug compares the sender's clock with ours: with skewed clocks a dead peer looks alive for
  // as long as the sender's clock was ahead. Always time a silence with your own clock.
  peer.lastBeatLocal = ctx.bugs.has('checkUsesSenderClock') ? beat.sentAtLocal : ctx.now();
  if (peer.status !== 'healthy') {
    ctx.annotate(`${from} is healthy again (was ${peer.status})`);
    // A beat for a removed instance re-registers it, as in Nacos' handleBeat.
    setStatus(state, peer, 'healthy');
  }
}

/** The periodic health check: Nacos' beat-check task. */
export function checkPeers(state: Draft<HeartbeatState>, ctx: Ctx): void {
  const config = ctx.config;
  const now = ctx.now();
  for (const peer of state.peers) {
    const silent = now - peer.lastBeatLocal;
    const status: PeerStatus =
      silent > config.removeAfterMicros
        ? 'removed'
        : silent > config.unhealthyAfterMicros
          ? 'unhealthy'
          : peer.status === 'removed'
            ? 'removed'
            : 'healthy';
    if (status !== peer.status) {
      ctx.annotate(`${ctx.self} marks ${peer.id} ${status} after ${(silent / 1e6).toFixed(1)}s of silence`, {
        peer: peer.id,
        silentMicros: silent,
      });
      setStatus(state, peer, status);
    }
  }
  ctx.setTimer('check', config.checkIntervalMicros);
}
