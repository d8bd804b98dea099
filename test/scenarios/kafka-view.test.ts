import { runScenario, type NodeView, type WorldView } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { kafka, validateConfig, defaults, type KafkaState } from '@dsim/kafka';
import s4 from '../../simulations/kafka/s4-isr-of-one.ts';

function finalViews(): Map<string, NodeView> {
  const views = new Map<string, NodeView>();
  runScenario(
    {
      ...s4,
      invariants: [
        {
          name: 'capture',
          kind: 'always',
          atEnd: true,
          check(world: WorldView) {
            for (const node of world.nodes) {
              const state = world.state(node) as KafkaState | undefined;
              if (state) views.set(node, kafka.view!(state, node));
            }
            return true;
          },
        },
      ],
    },
    { registry },
    { stateMode: 'mutable', trace: 'off' },
  );
  return views;
}

describe('the Kafka view', () => {
  const views = finalViews();

  it('the controller shows the kafka-topics --describe table', () => {
    const table = views.get('c')!.tables!.find((t) => t.name === 'kafka-topics --describe')!;
    expect(table.columns).toEqual(['Topic', 'Partition', 'Leader', 'Replicas', 'Isr', 'Elr', 'LeaderEpoch']);
    expect(table.rows).toEqual([['t', 0, 'b2', 'b1,b2,b3', 'b1,b2,b3', '', 1]]);
  });

  it('each replica shows its log coloured by epoch with LEO, HW, flushed and (leader) LESO marks', () => {
    const leaderLog = views.get('b2')!.logs![0]!;
    expect(leaderLog.name).toBe('t-0');
    expect(Object.keys(leaderLog.marks!).sort()).toEqual(['flushed', 'hw', 'leo', 'leso']);
    expect(leaderLog.marks!['leo']).toBe(leaderLog.entries.length);
    expect(leaderLog.entries.every((entry) => typeof entry.term === 'number')).toBe(true);
    expect(views.get('b2')!.fields).toContainEqual({ label: 't-0 epoch cache', value: '0:0 1:1' });
    expect(views.get('b1')!.edges).toEqual([{ to: 'b2', kind: 'follows', label: 't-0' }]);
  });
});

describe('config validation', () => {
  it('names the field and the fix', () => {
    expect(validateConfig(defaults, ['c', 'b1', 'x'])).toEqual([
      "nodes: x have no Kafka role; name the controller 'c', brokers b1, b2..., producers p1..., consumers r1...",
    ]);
    expect(validateConfig({ ...defaults, acks: '1' }, ['c', 'b1'])).toEqual([
      "config.enableIdempotence: needs acks 'all' (KIP-98); set acks to 'all' or turn idempotence off",
    ]);
    expect(validateConfig({ ...defaults, replicationFactor: 3 }, ['c', 'b1'])[0]).toMatch(/^config\.replicationFactor/);
  });
});
