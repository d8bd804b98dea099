/**
 * The availability and loss table of KAFKA.md §5 (claims 3–5, 8): RF 3, one producer sending a
 * record every 50 ms. At 4–5 s (from the seed) the followers are cut from the leader, though not
 * from the controller, for 5 s, so the leader's ISR shrinks to itself (the Jepsen 2013 pattern);
 * as the cut heals, 0, 1 or 2 brokers lose power (the leader first; unflushed writes are lost) and
 * come back 10 s later. For each acks × min.insync.replicas ×
 * unclean election × brokers down, over `seeds` seeds: the share of records sent while brokers
 * were cut off or down that were acknowledged within the 3 s delivery timeout (records sent in the last
 * seconds of the outage may succeed after the restart), acknowledged records missing from the
 * final leader's log (for acks=0: records sent and missing), duplicated records, runs ending with
 * the partition offline, and NOT_ENOUGH_REPLICAS refusals. Everything else is current Kafka
 * (idempotence with acks=all; ELR). Usage: node --import
 * ./packages/cli/bin/register-typescript.mjs experiments/kafka-availability.ts [seeds=10]
 */
import { atEnd, createRandom, runScenario, type Fault, type Scenario } from '@dsim/core';
import type { BrokerState, ProducerState } from '@dsim/kafka';
import { registry } from '@dsim/registry';

const seeds = Number(process.argv[2] ?? 10);
const intervalMs = 50;
const startMs = 500;

interface Cell {
  windowRecords: number;
  windowAcked: number;
  acked: number;
  lost: number;
  duplicates: number;
  offline: number;
  refused: number;
}

function scenarioFor(acks: '0' | '1' | 'all', minIsr: number, unclean: boolean, down: number, seed: number) {
  const random = createRandom(seed, 'availability');
  // The followers lose the leader (not the controller) for 5 s, longer than the 3 s lag time, so
  // the leader's ISR shrinks to itself; as the cut heals, `down` brokers lose power, the leader
  // first; they return 10 s later.
  const cutAt = 4000 + random.int(0, 1000);
  const crashAt = cutAt + 5000 + random.int(0, 500);
  const upAt = crashAt + 10_000;
  const victims = ['b1', 'b2'].slice(0, down);
  const faults: Array<{ at: number; fault: Fault }> = [
    {
      at: cutAt * 1000,
      fault: {
        type: 'bridge',
        bridge: 'c',
        groups: [
          ['b1', 'p1'],
          ['b2', 'b3'],
        ],
      },
    },
  ];
  victims.forEach((node) =>
    faults.push({ at: crashAt * 1000, fault: { type: 'crash', node, loseUnsyncedWrites: true } }),
  );
  faults.push({ at: crashAt * 1000, fault: { type: 'heal' } });
  victims.forEach((node) => faults.push({ at: upAt * 1000, fault: { type: 'restart', node } }));
  const scenario: Scenario = {
    name: `availability-acks${acks}-min${minIsr}-unclean${unclean}-down${down}`,
    protocol: 'kafka',
    nodes: ['c', 'b1', 'b2', 'b3', 'p1'],
    seed,
    until: '35s',
    network: { latency: { dist: 'uniform', min: '1ms', max: '5ms' }, fifo: true },
    config: {
      acks,
      enableIdempotence: acks === 'all',
      minInsyncReplicas: minIsr,
      uncleanLeaderElection: unclean,
      replicaLagTimeMaxMs: 3000,
      sessionTimeoutMs: 2000,
      heartbeatIntervalMs: 500,
      requestTimeoutMs: 1000,
      replicaSocketTimeoutMs: 1000,
      deliveryTimeoutMs: 3000,
      osFlushIntervalMs: 5000,
      producerRecords: 540,
      producerIntervalMs: intervalMs,
      producerStartMs: startMs,
    },
    faults,
    invariants: [],
  };
  return { scenario, downAt: cutAt, upAt };
}

function measure(acks: '0' | '1' | 'all', minIsr: number, unclean: boolean, down: number): Cell {
  const cell: Cell = { windowRecords: 0, windowAcked: 0, acked: 0, lost: 0, duplicates: 0, offline: 0, refused: 0 };
  for (let seed = 1; seed <= seeds; seed++) {
    const { scenario, downAt, upAt } = scenarioFor(acks, minIsr, unclean, down, seed);
    const finalStates = captureFinalStates(scenario);
    const producer = finalStates.get('p1') as ProducerState;
    let leader: BrokerState | undefined;
    let refused = 0;
    for (const node of ['b1', 'b2', 'b3']) {
      const broker = finalStates.get(node) as BrokerState | undefined;
      const replica = broker?.replicas[0];
      if (!replica) continue;
      refused += replica.notEnoughReplicas;
      if (replica.role === 'leader' && (!leader || replica.leaderEpoch > leader.replicas[0]!.leaderEpoch))
        leader = broker;
    }
    cell.refused += refused;
    const succeeded = acks === '0' ? producer.sentUnacknowledged : producer.acked.map((record) => record.id);
    cell.acked += succeeded.length;
    const inWindow = (id: string) => {
      const sentAt = startMs + Number(id.slice(id.lastIndexOf('.') + 1)) * intervalMs;
      return sentAt >= downAt && sentAt < upAt;
    };
    cell.windowRecords += Math.floor((upAt - downAt) / intervalMs);
    cell.windowAcked += succeeded.filter(inWindow).length;
    if (!leader) {
      cell.offline++;
      continue;
    }
    const log = leader.replicas[0]!.log.map((entry) => entry.id);
    const present = new Set(log);
    cell.lost += succeeded.filter((id) => !present.has(id)).length;
    cell.duplicates += log.length - present.size;
  }
  return cell;
}

/** Final states through a last-step invariant (the run result carries summaries, not states). */
function captureFinalStates(scenario: Scenario): Map<string, unknown> {
  const states = new Map<string, unknown>();
  runScenario(
    {
      ...scenario,
      invariants: [
        atEnd('capture', (world) => {
          for (const node of world.nodes) states.set(node, world.state(node));
          return true;
        }),
      ],
    },
    { registry },
    { stateMode: 'mutable', trace: 'off' },
  );
  return states;
}

const rows: string[] = [];
rows.push(
  '| acks | min ISR | unclean | brokers down | writes acked during the faults | acknowledged records lost | duplicates | runs offline at end | NOT_ENOUGH_REPLICAS |',
);
rows.push('|---|---|---|---|---|---|---|---|---|');
for (const acks of ['0', '1', 'all'] as const)
  for (const minIsr of [1, 2, 3])
    for (const unclean of [false, true])
      for (const down of [0, 1, 2]) {
        const cell = measure(acks, minIsr, unclean, down);
        const availability = `${((100 * cell.windowAcked) / Math.max(1, cell.windowRecords)).toFixed(0)}%`;
        rows.push(
          `| ${acks} | ${minIsr} | ${unclean ? 'on' : 'off'} | ${down} | ${availability} | ${cell.lost} of ${cell.acked} | ${cell.duplicates} | ${cell.offline}/${seeds} | ${cell.refused} |`,
        );
      }
console.log(
  `RF 3, ${seeds} seeds per row: followers cut from the leader for 5 s (ISR shrinks to the leader), then ` +
    'the leader (and b2) lose power for 10 s as the cut heals:\n',
);
console.log(rows.join('\n'));
