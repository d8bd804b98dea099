import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { raft, type Entry, type KvOp } from '../src/index.ts';
import { retryAfterTimeout } from './bug-scenarios.ts';

interface Line {
  readonly k: string;
  readonly req?: string;
  readonly op?: KvOp;
  readonly msg?: { readonly type: string; readonly entries?: readonly Entry[] };
}

/** Every operation entry the run's AppendEntries carried, beside the operation its client invoked. */
function entriesAndInvocations(scenario: Scenario) {
  const result = runScenario(scenario, { registry }, { trace: 'memory', stateMode: 'mutable' });
  expect(result.error).toBeUndefined();
  const lines = result.trace.slice(1).map((line) => JSON.parse(line) as Line);
  const invoked = new Map(lines.filter((line) => line.k === 'invoke').map((line) => [line.req!, line.op!]));
  const entries = lines
    .filter((line) => line.k === 'send' && line.msg?.type === 'AppendEntries')
    .flatMap((line) => line.msg!.entries!)
    .filter((entry) => entry.kind === 'op');
  return { entries, invoked };
}

describe("raft: an entry carries its client's operation (handleRequest)", () => {
  it('as the client invoked it', () => {
    const { entries, invoked } = entriesAndInvocations({
      name: 'raft-entry-operations',
      protocol: raft,
      nodes: 3,
      seed: 3,
      until: '2s',
      workload: { name: 'kv', clients: 3, thinkTime: '10ms', options: { mix: { get: 1, put: 1, append: 1, cas: 1 } } },
    });
    expect(new Set(entries.map((entry) => entry.op!.f))).toEqual(new Set(['put', 'append', 'cas']));
    for (const entry of entries) expect(entry.op).toEqual(invoked.get(entry.request!));
  });

  it("without a retrying client's session sequence number, which the entry holds in its own field", () => {
    const { entries, invoked } = entriesAndInvocations(retryAfterTimeout);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const { seq, ...op } = invoked.get(entry.request!)!;
      expect(Object.keys(entry.op!)).toEqual(['f', 'key', 'value']);
      expect(entry.op).toEqual(op);
      expect(entry.seq).toBe(seq);
    }
  });
});
