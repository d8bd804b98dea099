import { describe, expect, it } from 'vitest';
import { runScenario, Simulation, type RunResult } from '../src/index.ts';
import { baseScenario, recorder, type RecorderState } from './fixtures.ts';

/**
 * SendOptions.beforeSync and messages to oneself: a leader may send AppendEntries while its own
 * write is still on the way to disk (Raft dissertation §10.2.1), and learns that the write is
 * durable from a message to itself that leaves with the sync (etcd's MsgStorageAppendResp).
 */

/** At 1 ms n1 writes and syncs, then sends n2 an early message (1), a held one (2) and itself a notice (3). */
const leader = recorder({
  init(ctx) {
    if (ctx.self === 'n1') ctx.setTimer('append', 1_000);
  },
  onTimer(_state, _name, ctx) {
    ctx.storage.put('entry', 1);
    ctx.storage.sync();
    ctx.send('n2', { n: 1 }, { beforeSync: true });
    ctx.send('n2', { n: 2 });
    ctx.send(ctx.self, { n: 3 });
  },
});

interface Line {
  readonly t: number;
  readonly k: string;
  readonly id?: number;
  readonly msg?: { n: number };
  readonly text?: string;
}

const lines = (result: RunResult) => result.trace.map((line) => JSON.parse(line) as Line);

/** Each message's number with the times it was sent and delivered. */
function journeys(result: RunResult): Array<{ n: number; sent: number; delivered: number | undefined }> {
  const trace = lines(result);
  return trace
    .filter((line) => line.k === 'send')
    .map((send) => ({
      n: send.msg!.n,
      sent: send.t,
      delivered: trace.find((line) => line.k === 'deliver' && line.id === send.id)?.t,
    }));
}

describe('SendOptions.beforeSync and messages to oneself', () => {
  it('with a sync latency, an early message leaves at once; the rest, and the notice to oneself, when the sync completes', () => {
    const result = runScenario(
      baseScenario(leader, { until: '20ms', storage: { syncLatency: '5ms' } }),
      {},
      {
        trace: 'memory',
      },
    );
    // init's sync holds the disk until 5 ms, so the write at 1 ms is on disk at 10 ms.
    expect(journeys(result)).toEqual([
      { n: 1, sent: 1_000, delivered: 2_000 },
      { n: 2, sent: 10_000, delivered: 11_000 },
      { n: 3, sent: 10_000, delivered: 10_000 },
    ]);
    const simulation = Simulation.fromScenario(
      baseScenario(leader, { until: '20ms', storage: { syncLatency: '5ms' } }),
    );
    simulation.run();
    expect((simulation.stateOf('n1') as RecorderState).log).toContain('msg n1 3 @10000');
  });

  it('without a sync latency, beforeSync changes nothing: every message leaves with its step', () => {
    const result = runScenario(baseScenario(leader, { until: '20ms' }), {}, { trace: 'memory' });
    expect(journeys(result)).toEqual([
      { n: 1, sent: 1_000, delivered: 2_000 },
      { n: 2, sent: 1_000, delivered: 2_000 },
      { n: 3, sent: 1_000, delivered: 1_000 },
    ]);
  });

  it('a message to oneself crosses no network: no latency, loss, duplication or partition', () => {
    const result = runScenario(
      baseScenario(leader, {
        until: '20ms',
        network: { latency: '3ms', loss: 1, duplicate: 1 },
        faults: [{ at: 0, fault: { type: 'isolate', node: 'n1' } }],
      }),
      {},
      { trace: 'memory' },
    );
    expect(journeys(result)).toEqual([
      { n: 1, sent: 1_000, delivered: undefined },
      { n: 2, sent: 1_000, delivered: undefined },
      { n: 3, sent: 1_000, delivered: 1_000 },
    ]);
    expect(result.stats.messagesDuplicated).toBe(0);
  });

  it('a crash before the sync completes loses the held messages; the early one is already out', () => {
    const result = runScenario(
      baseScenario(leader, {
        until: '20ms',
        storage: { syncLatency: '5ms' },
        faults: [{ at: '3ms', fault: { type: 'crash', node: 'n1', loseUnsyncedWrites: true } }],
      }),
      {},
      { trace: 'memory' },
    );
    expect(journeys(result)).toEqual([{ n: 1, sent: 1_000, delivered: 2_000 }]);
    const lost = lines(result).filter((line) => line.k === 'note' && line.text!.includes('was lost in a crash'));
    expect(lost.map((line) => line.text)).toEqual([
      'a message to n2 waiting for a sync was lost in a crash',
      'a message to n1 waiting for a sync was lost in a crash',
    ]);
  });

  it('runs the same in both state modes', () => {
    const scenario = baseScenario(leader, {
      until: '20ms',
      storage: { syncLatency: { dist: 'uniform', min: '1ms', max: '6ms' } },
    });
    expect(runScenario(scenario, {}, { stateMode: 'immutable' }).hash).toBe(
      runScenario(scenario, {}, { stateMode: 'mutable' }).hash,
    );
  });
});
