import type { Ctx, S } from './context.ts';
import { startLoad, handleLoadTimeout, handleSnapshot, handleSnapshotRequest } from './load.ts';
import {
  handleReport,
  handleReportAck,
  handleReportTimeout,
  healthyListOf,
  sendReport,
  sendUnhealthyReports,
} from './members.ts';
import { beatCheck } from './registry.ts';
import { handleForward, handleForwardReply, handleForwardTimeout } from './requests.ts';
import { handleSync, handleSyncAck, handleSyncTimeout, runEngine } from './sync.ts';
import { handleVerify, handleVerifyFailed, sendVerify } from './verify.ts';
import type { DistroMessage, DistroState, DistroTimer } from './state.ts';
import type { TimerName } from '@dsim/core';

/**
 * A Nacos server starting (or restarting): Distro data is in memory only, so it starts empty and
 * loads a snapshot from a peer before it serves. Members start UP, as read from cluster.conf.
 */
export function init(ctx: Ctx): DistroState {
  const incarnation = (ctx.storage.get<number>('incarnation') ?? 0) + 1;
  ctx.storage.put('incarnation', incarnation);
  ctx.storage.sync();
  const members = ctx.peers.map((id) => ({ id, state: 'UP' as const, failAccessCount: 0 }));
  const config = ctx.config;
  ctx.setTimer('load', 0);
  ctx.setTimer('report', config.memberReportIntervalMicros);
  ctx.setTimer('unhealthyReport', config.unhealthyReportIntervalMicros);
  ctx.setTimer('verify', config.verifyIntervalMicros);
  ctx.setTimer('beatCheck', config.beatCheckIntervalMicros);
  return {
    incarnation,
    ready: false,
    loadCursor: -1,
    loadedFrom: null,
    loadedFromLoadingPeer: false,
    members,
    reportCursor: -1,
    healthyList: healthyListOf({ members }, ctx.self, true),
    clients: {},
    healthyByService: {},
    tally: { responsible: 0, healthy: 0, persistent: 0 },
    tasks: {},
    inflight: {},
    forwards: {},
    nextId: 0,
    stats: {
      pushes: 0,
      pushRetries: 0,
      verifyRounds: 0,
      verifyRepairs: 0,
      rehashes: 0,
      expiries: 0,
      expiriesNotOwned: 0,
      clientsAdded: 0,
      clientsRemoved: 0,
      copyWrites: 0,
      collected: 0,
      pushesFrom: {},
    },
  };
}

export function onMessage(state: S, from: string, msg: DistroMessage, ctx: Ctx): void {
  switch (msg.type) {
    case 'Report':
      return handleReport(state, from, ctx);
    case 'ReportAck':
      return handleReportAck(state, from, ctx);
    case 'SnapshotRequest':
      return handleSnapshotRequest(state, from, ctx);
    case 'Snapshot':
      return handleSnapshot(state, from, msg.clients, msg.senderReady, ctx);
    case 'Sync':
      return handleSync(state, from, msg, ctx);
    case 'SyncAck':
      return handleSyncAck(state, msg.id, ctx);
    case 'Verify':
      return handleVerify(state, from, msg.entries, ctx);
    case 'VerifyFailed':
      return handleVerifyFailed(state, from, msg.clients, ctx);
    case 'Forward':
      return handleForward(state, from, msg.id, msg.op, ctx);
    case 'ForwardReply':
      return handleForwardReply(state, msg.id, msg.ok, msg.error, ctx);
  }
}

export function onTimer(state: S, timer: TimerName<DistroTimer>, ctx: Ctx): void {
  const colon = timer.indexOf(':');
  const name = (colon < 0 ? timer : timer.slice(0, colon)) as DistroTimer;
  const key = colon < 0 ? '' : timer.slice(colon + 1);
  switch (name) {
    case 'load':
      return startLoad(state, ctx);
    case 'loadTimeout':
      return handleLoadTimeout(state, ctx);
    case 'engine':
      return runEngine(state, ctx);
    case 'syncTimeout':
      return handleSyncTimeout(state, key, ctx);
    case 'verify':
      return sendVerify(state, ctx);
    case 'report':
      return sendReport(state, ctx);
    case 'unhealthyReport':
      return sendUnhealthyReports(state, ctx);
    case 'reportTimeout':
      return handleReportTimeout(state, key, ctx);
    case 'forwardTimeout':
      return handleForwardTimeout(state, key, ctx);
    case 'beatCheck':
      return beatCheck(state, ctx);
  }
}

export function describeMessage(msg: DistroMessage): string {
  switch (msg.type) {
    case 'Sync':
      return msg.action === 'change'
        ? `Sync change ${msg.data.client} rev=${msg.data.revision}${msg.data.instance.healthy ? '' : ' unhealthy'}`
        : `Sync delete ${msg.client}`;
    case 'Snapshot':
      return `Snapshot n=${msg.clients.length}${msg.senderReady ? '' : ' (sender loading)'}`;
    case 'Verify':
      return `Verify n=${msg.entries.length}`;
    case 'VerifyFailed':
      return `VerifyFailed ${msg.clients.slice(0, 4).join(' ')}${msg.clients.length > 4 ? ` +${msg.clients.length - 4}` : ''}`;
    case 'Forward':
      return `Forward ${msg.op.f} ${msg.op.key}`;
    case 'ForwardReply':
      return `ForwardReply ${msg.ok ? 'ok' : (msg.error ?? 'fail')}`;
    default:
      return msg.type;
  }
}
