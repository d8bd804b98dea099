import type { ProtocolCoverage } from '@dsim/core';
import type { DistroState } from './state.ts';

/**
 * What a Distro sweep should reach: a node loading its snapshot and serving, every message of
 * sync, verify and forwarding, and the health checks' suspicion and removal of a member (Nacos
 * DistroMapper's member states), with the repairs verification makes.
 */
export const coverage: ProtocolCoverage<DistroState> = {
  roles: ['loading', 'serving'],
  messages: [
    'Sync',
    'SyncAck',
    'Verify',
    'VerifyFailed',
    'SnapshotRequest',
    'Snapshot',
    'Forward',
    'ForwardReply',
    'Report',
    'ReportAck',
  ],
  states: {
    memberSuspicious: (state) => state.members.some((member) => member.state === 'SUSPICIOUS'),
    memberDown: (state) => state.members.some((member) => member.state === 'DOWN'),
    repairedByVerify: (state) => state.stats.verifyRepairs > 0,
    loadedFromLoadingPeer: (state) => state.loadedFromLoadingPeer,
  },
};
