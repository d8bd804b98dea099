import { defineProtocol } from '@dsim/core';
import { coverage } from './coverage.ts';
import { clientCount } from './copies.ts';
import { bugs, type DistroBug } from './bugs.ts';
import {
  convergenceBoundMicros,
  defaults,
  memberDownBoundMicros,
  memberRecoveryBoundMicros,
  validateConfig,
  type DistroConfig,
} from './config.ts';
import { invariants } from './invariants.ts';
import { describeMessage, init, onMessage, onTimer } from './node.ts';
import { handleRequest, readService } from './requests.ts';
import {
  timers,
  type DistroMessage,
  type DistroOp,
  type DistroResult,
  type DistroState,
  type DistroTimer,
} from './state.ts';
import { view } from './view.ts';
import { workloads } from './workloads.ts';

/**
 * Nacos 2.x Distro, the AP protocol behind ephemeral service registration: every server holds a
 * full copy and answers reads from it; each client is owned by the server its id hashes to over
 * the healthy member list; the owner applies the client's writes and pushes them to every other
 * member after a merged 1 s delay, with retries; every 5 s it verifies its clients' revisions on
 * every member and pushes the client to any member that differs; a starting server loads a
 * snapshot from a peer before it serves; member health moves ownership.
 */
export const distro = defineProtocol<
  DistroState,
  DistroMessage,
  DistroOp,
  DistroResult,
  DistroConfig,
  DistroTimer,
  DistroBug
>({
  name: 'distro',
  description: 'Nacos 2.x Distro: responsibility by hash, delayed merged pushes, verify, load on start',
  defaults,
  timers,
  init,
  onMessage,
  onTimer,
  onRequest: handleRequest,
  summarize: (state) => ({
    role: state.ready ? 'serving' : 'loading',
    clients: clientCount(state),
    healthyList: state.healthyList.length,
  }),
  view,
  describeMessage,
  validateConfig,
  invariants,
  workloads,
  bugs,
  coverage,
});

export { families } from './families.ts';
export { bugHunts } from './hunts.ts';
export * from './invariants.ts';
export { distroHash, isResponsible, javaHash, mapServer, sortedHealthyList } from './mapper.ts';
export {
  convergenceBoundMicros,
  defaults,
  memberDownBoundMicros,
  memberRecoveryBoundMicros,
  readService,
  workloads,
  bugs,
};
export type { DistroConfig, DistroState, DistroMessage, DistroOp, DistroResult, DistroTimer, DistroBug };
export default distro;
