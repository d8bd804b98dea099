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
});
