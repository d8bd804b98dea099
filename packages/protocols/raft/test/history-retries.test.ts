import { checkLinearizability, createKvModel } from '@dsim/check';
import { runScenario, type HistoryEntry } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { mergeRetries } from '../src/index.ts';
import { retryAfterTimeout } from './bug-scenarios.ts';

type Line = [process: number, type: HistoryEntry['type'], f: string, value: unknown, client: string];

/** A history from compact lines; times are the positions. */
function history(lines: readonly Line[]): HistoryEntry[] {
  return lines.map(([process, type, f, value, client], index) => ({
    index,
    process,
    type,
    f,
    key: 'k',
    value,
    time: index,
    client,
  }));
}

const compact = (entries: readonly HistoryEntry[]) =>
  entries.map((entry) => `${entry.process} ${entry.type} ${entry.f} ${JSON.stringify(entry.value ?? null)}`);

describe('mergeRetries: the attempts of one write are one operation', () => {
  it('merges a write retried after a timeout into one, completed as the retry was', () => {
    const merged = mergeRetries(
      history([
        [0, 'invoke', 'append', 'a;', 'c1'],
        [0, 'info', 'append', 'timeout', 'c1'],
        [2, 'invoke', 'append', 'a;', 'c1'],
        [2, 'ok', 'append', undefined, 'c1'],
      ]),
    );
    expect(compact(merged)).toEqual(['0 invoke append "a;"', '0 ok append null']);
  });

  it('keeps an attempt unknown when a later one was refused', () => {
    const merged = mergeRetries(
      history([
        [0, 'invoke', 'append', 'a;', 'c1'],
        [0, 'info', 'append', 'timeout', 'c1'],
        [2, 'invoke', 'append', 'a;', 'c1'],
        [2, 'fail', 'append', 'not the leader', 'c1'],
      ]),
    );
    expect(compact(merged)).toEqual(['0 invoke append "a;"', '0 info append "not the leader"']);
  });

  it('merges a retried read: a session answers it with what its first attempt read', () => {
    const merged = mergeRetries(
      history([
        [0, 'invoke', 'get', undefined, 'c1'],
        [0, 'info', 'get', 'timeout', 'c1'],
        [2, 'invoke', 'get', undefined, 'c1'],
        [2, 'ok', 'get', 'a', 'c1'],
      ]),
    );
    expect(compact(merged)).toEqual(['0 invoke get null', '0 ok get "a"']);
  });

  it('leaves answered operations, other values and other clients alone', () => {
    const lines: Line[] = [
      [0, 'invoke', 'get', undefined, 'c1'],
      [0, 'ok', 'get', null, 'c1'],
      [0, 'invoke', 'get', undefined, 'c1'],
      [0, 'ok', 'get', null, 'c1'],
      [0, 'invoke', 'put', 'x', 'c1'],
      [0, 'ok', 'put', undefined, 'c1'],
      [0, 'invoke', 'put', 'x', 'c1'],
      [0, 'ok', 'put', undefined, 'c1'],
      [0, 'invoke', 'put', 'y', 'c1'],
      [0, 'info', 'put', 'timeout', 'c1'],
      [1, 'invoke', 'put', 'y', 'c2'],
      [1, 'ok', 'put', undefined, 'c2'],
    ];
    const original = history(lines);
    expect(mergeRetries(original)).toBe(original);
  });

  it('makes a write applied twice visible to the linearizability check, and only then', () => {
    // The first attempt timed out after it took effect, the retry was applied again: a read sees
    // the value twice. Checked attempt by attempt, the timed-out one may count as applied.
    const applied = history([
      [0, 'invoke', 'append', 'a;', 'c1'],
      [0, 'info', 'append', 'timeout', 'c1'],
      [2, 'invoke', 'append', 'a;', 'c1'],
      [2, 'ok', 'append', undefined, 'c1'],
      [1, 'invoke', 'get', undefined, 'c2'],
      [1, 'ok', 'get', 'a;a;', 'c2'],
    ]);
    const model = createKvModel();
    expect(checkLinearizability(applied, model).verdict).toBe('linearizable');
    expect(checkLinearizability(mergeRetries(applied), model).verdict).not.toBe('linearizable');
  });
});

describe('the kv-retry workload', () => {
  it('retries with the same session sequence number, and the sessions apply each write once', () => {
    const result = runScenario(retryAfterTimeout, { registry }, { trace: 'memory', stateMode: 'mutable' });
    expect(result.violations).toEqual([]);
    const invokes = result.trace
      .slice(1)
      .map((line) => JSON.parse(line) as { k: string; client?: string; op?: { f: string; seq?: number } })
      .filter((event) => event.k === 'invoke');
    const attempts = new Map<string, number>();
    for (const { client, op } of invokes) {
      expect(op?.seq, 'every operation carries its session sequence number').toBeTypeOf('number');
      const id = `${client}#${op!.seq}`;
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
    }
    // Some operations were sent more than once (the 15 ms timeout is shorter than a slow write).
    expect([...attempts.values()].some((count) => count > 1)).toBe(true);
    expect(Math.max(...attempts.values())).toBeLessThanOrEqual(4);
  });

  it('with retryForMicros, retries an operation for that long after its first attempt, however many attempts that takes', () => {
    // The cluster is isolated node by node from 0.5 s to 1.5 s: nothing is answered then, and
    // every attempt times out after 15 ms.
    const scenario = {
      ...retryAfterTimeout,
      name: 'raft-retry-for',
      faults: [
        { at: '500ms', fault: { type: 'partition' as const, groups: [['n1'], ['n2'], ['n3']] } },
        { at: '1500ms', fault: { type: 'heal' as const } },
      ],
      workload: {
        ...retryAfterTimeout.workload!,
        options: { ...retryAfterTimeout.workload!.options, retryForMicros: 200_000 },
      },
    };
    const result = runScenario(scenario, { registry }, { trace: 'memory', stateMode: 'mutable' });
    expect(result.violations).toEqual([]);
    const sent = new Map<string, number[]>();
    for (const line of result.trace.slice(1)) {
      const event = JSON.parse(line) as { k: string; t: number; client?: string; op?: { seq?: number } };
      if (event.k !== 'invoke') continue;
      const id = `${event.client}#${event.op!.seq}`;
      sent.set(id, [...(sent.get(id) ?? []), event.t]);
    }
    // Far more than three retries of one operation during the partition, and none begun after
    // 200 ms from its first attempt.
    expect(Math.max(...[...sent.values()].map((times) => times.length))).toBeGreaterThan(8);
    for (const times of sent.values()) expect(times.at(-1)! - times[0]!).toBeLessThan(200_000);
  });
});
