import { describe, expect, it } from 'vitest';
import { describeSwarm } from '../src/swarm-describe.ts';

describe('describeSwarm', () => {
  it('names the drawn family options, the client timeout and the share of knobs at an end', () => {
    const line = describeSwarm({
      cornerShare: 0.9,
      nodes: 3,
      faultKinds: ['crash', 'loss'],
      faults: 4,
      clientTimeoutMicros: 250_000,
      config: { preVote: false },
      options: { membership: 'concurrent' },
    });
    expect(line).toBe(
      '3 nodes, faults crash+loss ×4, client timeout 250ms, preVote=false, --membership concurrent, knobs at an end 90%',
    );
  });

  it('names slow disks with their crash mode, the client timeout in write times and when clients stop', () => {
    const line = describeSwarm({
      clientTimeoutRoundTrips: 4,
      clientStopMicros: 8_000_000,
      syncLatency: { dist: 'constant', micros: 5_000 },
      loseUnsyncedWrites: true,
    });
    expect(line).toContain("client timeout 4× a write's time");
    expect(line).toContain('clients stop at 8s');
    expect(line).toContain('disk syncs 5000us, crashes lose unsynced writes');
  });
});
