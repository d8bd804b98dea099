import type { BugSwitch } from '@dsim/core';

/** Ways to break Kafka's replication on purpose, for what the configuration switches do not already cover. */
export const bugs = {
  hwFromAllReplicas: {
    description:
      "The leader takes the HW as the min LEO of every replica whose LEO it knows (the notes' rule 'min LEO of all replicas', " +
      'as a leader can evaluate it), instead of the maximal ISR plus caught-up followers (KAFKA.md §2.3). After an election, or while ' +
      'a follower has not fetched, the followers it has not heard from count for nothing.',
    breaks:
      'A new leader advances its HW to its own LEO before any ISR follower fetched, so acks=all is answered for records only the ' +
      "leader holds; its crash with page-cache loss loses them. 'no-acked-write-lost' and 'leader-completeness' catch it.",
  },
  electOutOfSyncLeader: {
    description:
      'Clean election picks the first live replica in assignment order without looking at the ISR, as unclean election does, while ' +
      '`unclean.leader.election.enable` is false (KAFKA.md §2.8: the first live replica in assignment order *and in the ISR*).',
    breaks:
      "A replica that missed committed records becomes leader and the others truncate to it. 'leader-completeness' and " +
      "'no-acked-write-lost' catch it.",
  },
  followerServesAboveHW: {
    description:
      'A replica serving a consumer (a follower under KIP-392, or the leader) returns records up to its LEO instead of its HW ' +
      '(KAFKA.md §1.4: consumers read only below the HW).',
    breaks:
      "Consumers see records that are not committed and may be truncated. 'no-read-above-hw' catches it, and 'read-stability' " +
      'when such a record later disappears.',
  },
  idempotenceIgnoresSequence: {
    description:
      'The broker skips the idempotent producer checks (KAFKA.md §1.3: a batch matching one of the last five of its PID is not ' +
      'appended again; a gap in sequence is refused) and appends every batch.',
    breaks:
      "A producer's retry of a batch whose first copy was appended (a lost reply, a timeout, a failover) is logged twice. " +
      "'no-duplicates' catches it.",
  },
  producerSendsAcrossEpochs: {
    description:
      'After an idempotent batch expires and the producer bumps its epoch (a new producer id here, KIP-360), it sends batches ' +
      'under the new id while batches sent under the old one are still in flight on the partition (Kafka waits: ' +
      '`RecordAccumulator.shouldStopDrainBatchesForPartition`, KAFKA.md §1.3).',
    breaks:
      'An old-id batch whose request was lost is retried after new-id batches were appended; the broker checks sequences per ' +
      "producer id, so it appends the retry after them. 'producer-order' catches it under constant message loss.",
  },
  brokerLeadsBeforeRegistering: {
    description:
      'A restarted broker applies LeaderAndIsr before the controller accepted its new registration (KRaft installs a ' +
      "broker's metadata publishers only after registration and the initial catch-up, `BrokerLifecycleManager`; a ZooKeeper " +
      'broker whose znode is not created has failed its startup, and from 2.2 rejects an older broker epoch, KIP-380).',
    breaks:
      'A controller that missed the restart (isolated for less than the session timeout) names the broker leader on its old ' +
      "registration; after a power loss its cut log leads and followers truncate to it. 'no-acked-write-lost' catches it.",
  },
  zkFastRestartUnnoticed: {
    description:
      'ZooKeeper mode: the controller accepts the registration of a broker restarted before its previous session expired, ' +
      'keeping its ISR memberships and leaderships in the same epochs (the ABA hole of KAFKA.md §1.2), instead of refusing ' +
      'it while the old ephemeral znode exists ("A broker is already registered on the path", `KafkaZkClient.registerBroker`).',
    breaks:
      'A leader that lost its page cache comes back and leads its cut log in the same leader epoch: followers that copied ' +
      "the lost offsets keep them while it writes new records there, and no truncation runs. 'log-matching' catches it.",
  },
} satisfies Record<string, BugSwitch>;

export type KafkaBug = keyof typeof bugs;
