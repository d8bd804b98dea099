import type { ProtocolCoverage } from '@dsim/core';
import type { KafkaState } from './state.ts';

const replicas = (state: KafkaState) => (state.kind === 'broker' ? Object.values(state.replicas) : []);

/**
 * What a Kafka sweep should reach (KAFKA.md): leaders and followers changing, the ISR shrinking
 * and the producer refused for it (NotEnoughReplicas), a follower truncating to the leader epoch's
 * end offset (KIP-101) and log entries actually cut, and an unclean election.
 */
export const coverage: ProtocolCoverage<KafkaState> = {
  roles: ['leader', 'follower', 'offline', 'controller', 'producer', 'consumer'],
  messages: [
    'Register',
    'Registered',
    'Heartbeat',
    'HeartbeatReply',
    'LeaderAndIsr',
    'AlterPartition',
    'AlterPartitionReply',
    'Fetch',
    'FetchReply',
    'OffsetsForLeaderEpoch',
    'OffsetsForLeaderEpochReply',
    'MetadataRequest',
    'MetadataReply',
    'Produce',
    'ProduceReply',
    'ConsumerFetch',
    'ConsumerFetchReply',
  ],
  states: {
    isrShrunk: (state) => replicas(state).some((replica) => replica.isrShrinks > 0),
    notEnoughReplicas: (state) => replicas(state).some((replica) => replica.notEnoughReplicas > 0),
    followerTruncating: (state) => replicas(state).some((replica) => replica.fetchState === 'truncating'),
    truncatedLog: (state) => replicas(state).some((replica) => replica.truncatedEntries > 0),
    uncleanElection: (state) => state.kind === 'controller' && state.uncleanElections > 0,
  },
};
