import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { leaderDiskLagging } from './bug-scenarios.ts';

/**
 * Dissertation §10.2.1: the leader sends AppendEntries while its own write is still on the way to
 * disk, and counts itself toward the quorum only once that write is durable. n1's disk takes 50 ms
 * a sync, n2's is instant and n3's takes 200 ms, so the quorum for an entry is n1 and n2; links
 * take 1 ms; one write reaches n1 at 1.1 s (no faults).
 */
const oneWrite: Scenario = {
  ...leaderDiskLagging,
  name: 'raft-parallel-append',
  storage: { nodes: { n1: '50ms', n3: '200ms' } },
  faults: [],
};

interface Line {
  readonly t: number;
  readonly k: string;
  readonly from?: string;
  readonly desc?: string;
}

function timings(bugs: string[]) {
  const result = runScenario({ ...oneWrite, bugs }, { registry }, { trace: 'memory', stateMode: 'mutable' });
  expect(result.error).toBeUndefined();
  const lines = result.trace.slice(1).map((line) => JSON.parse(line) as Line);
  const received = lines.find((line) => line.k === 'request')!.t;
  const appended = lines.find(
    (line) =>
      line.k === 'send' && line.from === 'n1' && line.t >= received && /^AppendEntries .* n=1 /.test(line.desc!),
  )!.t;
  const answered = result.history.find((event) => event.type === 'ok')!.time;
  return { received, appended, answered, violations: result.violations.map((violation) => violation.invariant) };
}

describe('raft: the leader appends to its own disk in parallel with replicating (§10.2.1)', () => {
  it('sends the AppendEntries at once, and commits only when its own write is on disk', () => {
    const { received, appended, answered, violations } = timings([]);
    expect(violations).toEqual([]);
    // The entry leaves with the request's step, not after the leader's 50 ms sync.
    expect(appended).toBe(received);
    // n2 acknowledged within a few milliseconds; the answer waits for the leader's own disk.
    expect(answered - received).toBeGreaterThanOrEqual(50_000);
  });

  it("with countLeaderBeforeDurable the leader commits on a follower's copy and its own unwritten one", () => {
    const { received, answered } = timings(['countLeaderBeforeDurable']);
    expect(answered - received).toBeLessThan(50_000);
  });
});
