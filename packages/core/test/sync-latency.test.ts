import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  always,
  NodeStorage,
  runScenario,
  ScenarioError,
  Simulation,
  type RunResult,
  type Scenario,
} from '../src/index.ts';
import { NO_SYNC, NOTHING_NEW } from '../src/kernel/storage.ts';
import { baseScenario, recorder, type RecorderState } from './fixtures.ts';

describe('timed syncs in storage (model-checked)', () => {
  it('a crash keeps exactly what the syncs completed by then sealed', () => {
    const operation = fc.oneof(
      fc.record({ op: fc.constant('put' as const), key: fc.constantFrom('a', 'b', 'c'), value: fc.integer() }),
      fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ op: fc.constant('sync' as const), latency: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ op: fc.constant('wait' as const), micros: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ op: fc.constant('crash' as const), lose: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (script) => {
        const storage = new NodeStorage();
        storage.timeSyncs();
        let now = 0;
        let diskFreeAt = 0;
        // The plain model: what a sync sealed, and when that reaches the disk.
        let live = new Map<string, number>();
        let durable = new Map<string, number>();
        let seals: Array<{ doneAt: number; image: Map<string, number> }> = [];
        const settle = () => {
          while (seals.length > 0 && seals[0]!.doneAt <= now) durable = seals.shift()!.image;
        };
        for (const step of script) {
          if (step.op === 'put') {
            storage.put(step.key, step.value);
            live.set(step.key, step.value);
          } else if (step.op === 'delete') {
            storage.delete(step.key);
            live.delete(step.key);
          } else if (step.op === 'sync') {
            storage.sync();
            const request = storage.takeSyncRequest();
            const changed = seals.length > 0 ? !sameMap(seals[seals.length - 1]!.image, live) : !sameMap(durable, live);
            if (request >= 0) {
              diskFreeAt = Math.max(now, diskFreeAt) + step.latency;
              storage.seal(request, diskFreeAt, now);
              seals.push({ doneAt: diskFreeAt, image: new Map(live) });
            } else {
              expect(request).toBe(NOTHING_NEW);
              expect(changed).toBe(false);
            }
          } else if (step.op === 'wait') {
            now += step.micros;
          } else {
            settle();
            storage.crash(step.lose, now);
            diskFreeAt = 0;
            if (step.lose) live = new Map(durable);
            else durable = new Map(live);
            seals = [];
          }
          expect(storage.keys()).toEqual([...live.keys()].sort());
          for (const [key, value] of live) expect(storage.get(key)).toBe(value);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers NO_SYNC for a step that did not sync', () => {
    const storage = new NodeStorage();
    storage.timeSyncs();
    storage.put('a', 1);
    expect(storage.takeSyncRequest()).toBe(NO_SYNC);
  });
});

function sameMap(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

/** n1 writes and syncs on 'write' ticks and tells n2; on 'beat' ticks it only sends. */
const writer = recorder({
  init(ctx) {
    if (ctx.self === 'n1') {
      ctx.setTimer('write', 1_000);
      ctx.setTimer('beat', 1_500);
    }
  },
  onTimer(state, name, ctx) {
    if (name === 'write') {
      ctx.storage.put(`entry/${state.log.length}`, state.log.length);
      ctx.storage.sync();
      ctx.send('n2', { n: state.log.length });
    } else if (name === 'beat') ctx.send('n2', { n: -1 });
    else if (name === 'resync') {
      // Syncs with nothing new: must still wait for the write in progress.
      ctx.storage.sync();
      ctx.send('n2', { n: -2 });
    }
    if (name === 'write' && state.log.length < 3) ctx.setTimer('resync', 100);
  },
});

interface Line {
  readonly t: number;
  readonly k: string;
  readonly msg?: unknown;
  readonly text?: string;
}

function lines(result: RunResult): Line[] {
  return result.trace.map((line) => JSON.parse(line) as Line);
}

function notes(result: RunResult): string[] {
  return lines(result)
    .filter((event) => event.k === 'note')
    .map((event) => event.text!);
}

function delivered(result: RunResult): number[] {
  return lines(result)
    .filter((event) => event.k === 'deliver')
    .map((event) => event.t);
}

function sends(result: RunResult): Array<{ t: number; msg: unknown }> {
  const trace = lines(result);
  return trace
    .filter((event) => event.k === 'send')
    .map((event) => ({ t: event.t, msg: (event as { msg?: unknown }).msg }));
}

describe('storage.syncLatency in the kernel', () => {
  it('a step that synced new writes sends when the sync completes; one that did not sync sends at once', () => {
    const result = runScenario(
      baseScenario(writer, { until: '6ms', storage: { syncLatency: '2ms' } }),
      {},
      { trace: 'memory' },
    );
    // init's sync holds the disk until 2 ms, so the write at 1 ms is on disk at 4 ms: its message
    // leaves then. The heartbeat at 1.5 ms does not wait. The resync at 1.1 ms found nothing new
    // but waits for the write in progress.
    expect(sends(result)).toEqual([
      { t: 1_500, msg: { n: -1 } },
      { t: 4_000, msg: { n: 2 } },
      { t: 4_000, msg: { n: -2 } },
    ]);
  });

  it('without a storage block a sync is instant and the trace has no storage field', () => {
    const result = runScenario(baseScenario(writer, { until: '3ms' }), {}, { trace: 'memory' });
    expect(sends(result).map((send) => send.t)).toEqual([1_000, 1_100, 1_500]);
    expect(lines(result)[0]).not.toHaveProperty('storage');
  });

  it('syncs on one disk complete one after the other', () => {
    const burst = recorder({
      init(ctx) {
        if (ctx.self === 'n1') for (const at of [1_000, 1_001, 1_002]) ctx.setTimer(`w${at}`, at);
      },
      onTimer(state, name, ctx) {
        ctx.storage.put(name, 1);
        ctx.storage.sync();
        ctx.send('n2', { n: Number(name.slice(1)) });
      },
    });
    const result = runScenario(baseScenario(burst, { until: '20ms', storage: { syncLatency: '3ms' } }), {}, {});
    // init's sync holds the disk until 3 ms; then each write takes 3 ms more.
    expect(sends(result).map((send) => send.t)).toEqual([6_000, 9_000, 12_000]);
  });

  it('a crash before the sync completes loses the writes and the messages waiting for them', () => {
    const crashing = baseScenario(writer, {
      until: '10ms',
      storage: { nodes: { n1: '5ms' } },
      faults: [
        { at: '2ms', fault: { type: 'crash', node: 'n1', loseUnsyncedWrites: true } },
        { at: '3ms', fault: { type: 'restart', node: 'n1' } },
      ],
    });
    const result = runScenario(crashing, {}, { trace: 'memory' });
    const written = notes(result);
    // init's boot counter (on disk at 5 ms) and the write at 1 ms (at 10 ms) were both in progress.
    expect(written).toContain('crash lost 2 unsynced storage writes');
    expect(written.filter((text) => text.includes('waiting for a sync was lost in a crash'))).toHaveLength(2);
    // Before the crash only the heartbeat, which waits for no sync, got out.
    expect(sends(result).filter((send) => send.t < 3_000)).toEqual([{ t: 1_500, msg: { n: -1 } }]);
    // The restarted node counts boot 1 again: its first boot never reached the disk.
    const simulation = Simulation.fromScenario(crashing);
    simulation.run();
    expect((simulation.stateOf('n1') as RecorderState).boots).toBe(1);
    // The header records the latency per node, in the scenario's own shape, so the run replays.
    expect((lines(result)[0] as { storage?: unknown }).storage).toEqual({
      nodes: { n1: { dist: 'constant', micros: 5_000 } },
    });
  });

  it('a crash after the sync completed keeps the writes', () => {
    const result = runScenario(
      baseScenario(writer, {
        until: '10ms',
        storage: { syncLatency: '1ms' },
        faults: [{ at: '2500us', fault: { type: 'crash', node: 'n1', loseUnsyncedWrites: true } }],
      }),
      {},
      { trace: 'memory' },
    );
    expect(notes(result).some((text) => text.startsWith('crash lost'))).toBe(false);
  });

  it('tells invariants when the writes each node synced are on disk', () => {
    const seen: Array<[number, number | undefined]> = [];
    const watch = always<RecorderState>('watch-n1-disk', (world) => {
      seen.push([world.time, world.durableAt('n1')]);
      return true;
    });
    const scenario = (extra: Partial<Scenario>) =>
      baseScenario(writer, {
        until: '5ms',
        invariants: [watch],
        faults: [
          { at: '4500us', fault: { type: 'crash', node: 'n1' } },
          { at: '4800us', fault: { type: 'restart', node: 'n1' } },
        ],
        ...extra,
      });
    runScenario(scenario({ storage: { syncLatency: '2ms' } }), {}, {});
    // init's sync is on disk at 2 ms; the write at 1 ms queues behind it and is on disk at 4 ms
    // (so is the resync at 1.1 ms, which found nothing new); the heartbeat at 1.5 ms synced
    // nothing. Down, n1 has no disk to ask about; its restart's sync is on disk 2 ms later.
    expect(seen).toEqual(
      expect.arrayContaining([
        [0, 2_000],
        [1_000, 4_000],
        [1_100, 4_000],
        [1_500, 4_000],
        [4_500, undefined],
        [4_800, 6_800],
      ]),
    );
    // Between those moments nothing new is synced, so the answer is either still in the future
    // or the current time.
    for (const [time, durableAt] of seen)
      if (time > 1_500 && time < 4_500) expect(durableAt).toBe(Math.max(time, 4_000));
    seen.length = 0;
    // Without a sync latency every sync is on disk at once.
    runScenario(scenario({}), {}, {});
    expect(seen.every(([time, durableAt]) => durableAt === time || (time === 4_500 && durableAt === undefined))).toBe(
      true,
    );
    expect(seen.length).toBeGreaterThan(3);
  });

  it('runs the same in both state modes', () => {
    const scenario = baseScenario(writer, {
      until: '5ms',
      storage: { syncLatency: { dist: 'uniform', min: '1ms', max: '3ms' } },
    });
    const immutable = runScenario(scenario, {}, { stateMode: 'immutable' });
    const mutable = runScenario(scenario, {}, { stateMode: 'mutable' });
    expect(mutable.hash).toBe(immutable.hash);
  });

  it('names the field and the fix for a bad storage block', () => {
    const bad = (storage: unknown) => () => runScenario(baseScenario(writer, { storage } as never), {}, {});
    expect(bad(5)).toThrow(ScenarioError);
    expect(bad(5)).toThrow("storage: must be an object like { syncLatency: '2ms' }");
    expect(bad({ nodes: { n9: '1ms' } })).toThrow('storage.nodes.n9: unknown node');
    expect(bad({ syncLatncy: '1ms' })).toThrow('storage.syncLatncy: unknown field (known: syncLatency, nodes)');
    expect(bad({ syncLatency: '-1ms' })).toThrow('storage.syncLatency');
  });
});

describe('network.messageLatency', () => {
  const kinds = recorder({
    init(ctx) {
      if (ctx.self === 'n1') ctx.setTimer('go', 0);
    },
    onTimer(_state, _name, ctx) {
      ctx.send('n2', { type: 'Snapshot', n: 1 } as never);
      ctx.send('n2', { type: 'Heartbeat', n: 2 } as never);
    },
  });

  it('gives messages of one kind their own latency', () => {
    const result = runScenario(
      baseScenario(kinds, { until: '1s', network: { latency: '1ms', messageLatency: { Snapshot: '40ms' } } }),
      {},
      { trace: 'memory' },
    );
    expect(delivered(result)).toEqual([1_000, 40_000]);
  });

  it('a slow-network fault still applies to every kind', () => {
    const result = runScenario(
      baseScenario(kinds, {
        until: '1s',
        network: { latency: '1ms', messageLatency: { Snapshot: '40ms' } },
        faults: [{ at: 0, fault: { type: 'slow', latency: { dist: 'constant', micros: 7_000 } } }],
      }),
      {},
      { trace: 'memory' },
    );
    expect(delivered(result)).toEqual([7_000, 7_000]);
  });

  it('refuses a kind that is not a latency', () => {
    expect(() =>
      runScenario(baseScenario(kinds, { network: { messageLatency: { Snapshot: 'soon' } } } as never), {}, {}),
    ).toThrow('network.messageLatency.Snapshot');
  });
});
